// The contacts as the window shows them: read from the workspace, re-read after each import.
import { ref } from 'vue'
import { commands, type Contact, type IpcError } from './bindings'

export const contacts = ref<Contact[]>([])
export const contactsError = ref<IpcError | null>(null)

export async function loadContacts(): Promise<void> {
  const r = await commands.contactsList()
  if (r.status === 'ok') {
    contacts.value = r.data
    contactsError.value = null
  } else {
    contactsError.value = r.error
  }
}
