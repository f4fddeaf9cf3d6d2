// The colours of an application's state, the same everywhere (ui.md: draft grey, submitted blue,
// returned orange, accepted green, refused red).
export type TagType = 'info' | 'primary' | 'warning' | 'success' | 'danger'

export function stateTagType(state: string): TagType {
  switch (state) {
    case 'submitted':
    case 'received':
      return 'primary'
    case 'returned':
    case 'return':
      return 'warning'
    case 'accepted':
    case 'accept':
    case 'funded':
      return 'success'
    case 'not_accepted':
    case 'reject':
      return 'danger'
    default:
      return 'info'
  }
}
