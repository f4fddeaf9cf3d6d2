// The messages' compiler: every message of the UI is text with named (`{file}`) or list (`{0}`)
// placeholders, which this turns into the function vue-i18n calls, as its own compiler would. vue-i18n's
// compiler (the whole message syntax: plurals, linked messages, literals) is left out of the build
// (`__INTLIFY_DROP_MESSAGE_COMPILER__`, vite.config.ts): a sixth of the start's JavaScript, and the
// compiling of each message the first screen shows (LIXIANG_TRACE_STARTUP). The message tables are held
// to this syntax by tests/i18n.test.ts (`messageSyntaxProblem`).
import type { MessageContext, MessageFunction } from 'vue-i18n'

/** A placeholder: `{name}` or `{0}`, spaces allowed inside the braces. */
const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\s*\}/g

/**
 * Why `message` is outside the syntax this compiler reads (`null` when it is inside): a brace that is
 * not part of a placeholder, or one of vue-i18n's other special characters (`@` linked, `|` plural,
 * `$`), which vue-i18n's own compiler would read differently.
 */
export function messageSyntaxProblem(message: string): string | null {
  const rest = message.replace(PLACEHOLDER, '')
  if (/[{}]/.test(rest)) return 'a brace that is not a placeholder {name} or {0}'
  if (/[@|$]/.test(rest)) return 'one of @ | $ (vue-i18n reads them as message syntax)'
  return null
}

/** The context a message is called with: vue-i18n's, with the two members its own compiled messages use
 *  (left out of its published types). */
type Context = MessageContext<unknown> & { normalize(parts: unknown[]): unknown; interpolate(value: unknown): unknown }

const compiled = new Map<string, MessageFunction<unknown>>()

/** vue-i18n's `messageCompiler`: the message's function, made once per text. */
export function compileMessage(message: unknown): MessageFunction<unknown> {
  // Only strings are in the tables; anything else is shown as it is.
  if (typeof message !== 'string') return (() => message) as MessageFunction<unknown>
  let fn = compiled.get(message)
  if (!fn) {
    fn = compile(message)
    compiled.set(message, fn)
  }
  return fn
}

function compile(message: string): MessageFunction<unknown> {
  // Split at the placeholders: even places hold text, odd places a placeholder's name or index.
  const parts = message.split(PLACEHOLDER)
  if (parts.length === 1) {
    return ((ctx: Context) => (ctx.type === 'text' ? message : ctx.normalize([message]))) as MessageFunction<unknown>
  }
  return ((ctx: Context) =>
    ctx.normalize(
      parts
        .map((part, i) => (i % 2 === 0 ? part : ctx.interpolate(/^[0-9]+$/.test(part) ? ctx.list(Number(part)) : ctx.named(part))))
        .filter((part) => part !== ''),
    )) as MessageFunction<unknown>
}
