import { createRouter, createWebHashHistory } from 'vue-router'
import CatalogView from './views/CatalogView.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/catalog' },
    { path: '/catalog/:code?', name: 'catalog', component: CatalogView },
    { path: '/indicators', name: 'indicators', component: () => import('./views/IndicatorsView.vue') },
  ],
})
