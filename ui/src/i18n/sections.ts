// The interface text of the screens beyond the first (the application editor, review, dashboard, the call
// desk …), apart from the base tables (zh-CN.ts, en.ts) that the frame, the catalog, the indicators and
// the identity screens use. It is loaded after the first frame (i18n/index.ts loadSections), so the start
// parses only the text it shows (LIXIANG_TRACE_STARTUP); every screen's route waits for it.
import { zh as zh_forms } from './editor-forms'
import { zh as zh_review } from './review'
import { zh as zh_dashboard } from './dashboard'
import { zh as zh_directed } from './directed'
import { zh as zh_expertEntry } from './expertEntry'
import { zh as zh_appeal } from './appeal'
import { zh as zh_resend } from './resend'
import { zh as zh_withdrawal } from './withdrawal'
import { zh as zh_assignmentSettings } from './assignmentSettings'
import { zh as zh_conflictMatrix } from './conflictMatrix'
import { zh as zh_challenge } from './challenge'
import { zh as zh_challengeOverride } from './challengeOverride'
import { zh as zh_panel } from './panel'
import { zh as zh_keyAdmin } from './keys'
import { zh as zh_objections } from './objections'
import { zh as zh_budgetSchemas } from './budgetSchemas'
import { zh as zh_calldesk } from './calldesk'
import { en as en_forms } from './editor-forms'
import { en as en_review } from './review'
import { en as en_dashboard } from './dashboard'
import { en as en_directed } from './directed'
import { en as en_expertEntry } from './expertEntry'
import { en as en_appeal } from './appeal'
import { en as en_resend } from './resend'
import { en as en_withdrawal } from './withdrawal'
import { en as en_assignmentSettings } from './assignmentSettings'
import { en as en_conflictMatrix } from './conflictMatrix'
import { en as en_challenge } from './challenge'
import { en as en_challengeOverride } from './challengeOverride'
import { en as en_panel } from './panel'
import { en as en_keyAdmin } from './keys'
import { en as en_objections } from './objections'
import { en as en_budgetSchemas } from './budgetSchemas'
import { en as en_calldesk } from './calldesk'

export const zh = {
  forms: zh_forms,
  review: zh_review,
  dashboard: zh_dashboard,
  directed: zh_directed,
  expertEntry: zh_expertEntry,
  appeal: zh_appeal,
  resend: zh_resend,
  withdrawal: zh_withdrawal,
  assignmentSettings: zh_assignmentSettings,
  conflictMatrix: zh_conflictMatrix,
  challenge: zh_challenge,
  challengeOverride: zh_challengeOverride,
  panel: zh_panel,
  keyAdmin: zh_keyAdmin,
  objections: zh_objections,
  budgetSchemas: zh_budgetSchemas,
  calldesk: zh_calldesk,
}

export const en: typeof zh = {
  forms: en_forms,
  review: en_review,
  dashboard: en_dashboard,
  directed: en_directed,
  expertEntry: en_expertEntry,
  appeal: en_appeal,
  resend: en_resend,
  withdrawal: en_withdrawal,
  assignmentSettings: en_assignmentSettings,
  conflictMatrix: en_conflictMatrix,
  challenge: en_challenge,
  challengeOverride: en_challengeOverride,
  panel: en_panel,
  keyAdmin: en_keyAdmin,
  objections: en_objections,
  budgetSchemas: en_budgetSchemas,
  calldesk: en_calldesk,
}
