import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import { confirmed } from '../src/confirm'

/** The open message box's buttons, once it is in the page. */
async function buttons(): Promise<HTMLButtonElement[]> {
  for (let i = 0; i < 50; i++) {
    await nextTick()
    await flushPromises()
    const found = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')]
    if (found.length) return found
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('no message box opened')
}

async function closed() {
  for (let i = 0; i < 100 && document.querySelector('.el-message-box__btns'); i++) await new Promise((r) => setTimeout(r, 10))
}

describe('confirmed', () => {
  it('is true when the person chooses the named yes, and shows the question, the title and both labels', async () => {
    const answer = confirmed('发布后不可修改，确定发布第 2 版？', '发布', { yes: '发布', no: '取消' })
    const [no, yes] = await buttons()
    expect(document.querySelector('.el-message-box__message')?.textContent).toContain('确定发布第 2 版')
    expect(document.querySelector('.el-message-box__title')?.textContent).toContain('发布')
    expect([no.textContent?.trim(), yes.textContent?.trim()]).toEqual(['取消', '发布'])
    yes.click()
    expect(await answer).toBe(true)
    await closed()
  })

  it('is false when the person says no', async () => {
    const answer = confirmed('删除内容？', '删除')
    const [no] = await buttons()
    no.click()
    expect(await answer).toBe(false)
    await closed()
  })
})
