import { createMemoryHistory, createRouter, createWebHashHistory } from 'vue-router'
import CatalogView from './views/CatalogView.vue'
import { loadSections } from './i18n'

/** The screens whose text is all in the base tables (i18n/index.ts): they open without waiting. */
const BASE_SCREENS = new Set(['catalog', 'indicators', 'unlock', 'identity-new'])

export const router = createRouter({
  // Rendered ahead at build time (prerender.ts) the router has no address bar: a memory history whose
  // links are the hash history's (`#/catalog`), so that the page it renders is the one the window draws.
  history: import.meta.env.SSR ? createMemoryHistory('#') : createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/catalog' },
    { path: '/catalog/:code?', name: 'catalog', component: CatalogView },
    { path: '/indicators', name: 'indicators', component: () => import('./views/IndicatorsView.vue') },
    { path: '/contacts', name: 'contacts', component: () => import('./views/ContactsView.vue') },
    { path: '/calls', name: 'calls', component: () => import('./views/CallsView.vue') },
    { path: '/calls/:id', name: 'call', component: () => import('./views/CallEditorView.vue') },
    { path: '/applications', name: 'applications', component: () => import('./views/ApplicationsView.vue') },
    { path: '/applications/:id', name: 'application', component: () => import('./views/ApplicationEditorView.vue') },
    { path: '/experts', name: 'experts', component: () => import('./views/ExpertsView.vue') },
    { path: '/assignment', name: 'assignment', component: () => import('./views/AssignmentView.vue') },
    { path: '/results', name: 'results', component: () => import('./views/ResultsView.vue') },
    { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
    { path: '/review', name: 'review', component: () => import('./views/ReviewView.vue') },
    { path: '/received', name: 'received', component: () => import('./views/ReceivedView.vue') },
    { path: '/identity/new', name: 'identity-new', component: () => import('./views/IdentitySetupView.vue') },
    { path: '/unlock', name: 'unlock', component: () => import('./views/UnlockView.vue') },
  ],
})

// Any other screen waits for the rest of the interface text (loaded right after the first frame anyway,
// so this wait is normally over before anyone clicks).
router.beforeEach(async (to) => {
  if (!BASE_SCREENS.has(String(to.name))) await loadSections()
})
