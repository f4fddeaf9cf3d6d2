import { describe, expect, it } from 'vitest'
import { agreementOf, checkDraft, isDate, newDraft, pendingTeams, todayInBeijing, wanToFen } from '../src/agreementForm'
import type { AgreementView } from '../src/bindings'

const recorded: AgreementView = {
  number: '2027-ZX05-000002',
  agreement_no: 'RWS-2027-001',
  signed_on: '2027-06-01',
  funding_wan: '300.0000',
  file_name: '任务书.pdf',
  file_sha256: 'a'.repeat(64),
  recorded_at: '2027-06-01T15:00:00+08:00',
}

describe('the agreement form', () => {
  it('lists the selected teams still without an agreement, in the selection order', () => {
    const panel = { selected: ['2027-ZX05-000004', '2027-ZX05-000002', '2027-ZX05-000003'], agreements: [recorded] }
    expect(pendingTeams(panel)).toEqual(['2027-ZX05-000004', '2027-ZX05-000003'])
    expect(agreementOf(panel, '2027-ZX05-000002')?.agreement_no).toBe('RWS-2027-001')
    expect(agreementOf(panel, '2027-ZX05-000003')).toBeNull()
  })

  it('starts with today and the call’s funding, and is ready once the number is typed', () => {
    const d = newDraft('300.0000', '2027-06-01')
    expect(checkDraft(d, '300.0000')).toEqual(['number_missing'])
    d.number = ' RWS-1 '
    expect(checkDraft(d, '300.0000')).toEqual([])
  })

  it('compares amounts exactly however they are written, and refuses another amount or a non-amount', () => {
    expect(wanToFen('300')).toBe(wanToFen('300.0000'))
    expect(wanToFen('３００．５')).toBe(300_500_000n)
    expect(wanToFen('1,200')).toBe(1_200_000_000n)
    expect(wanToFen('300.1234567')).toBeNull()
    expect(wanToFen('三百')).toBeNull()
    const d = { number: 'RWS-1', signedOn: '2027-06-01', fundingWan: '300' }
    expect(checkDraft(d, '300.0000')).toEqual([])
    expect(checkDraft({ ...d, fundingWan: '500' }, '300.0000')).toEqual(['funding_differs'])
    expect(checkDraft({ ...d, fundingWan: '0' }, '300.0000')).toEqual(['funding_invalid'])
    expect(checkDraft({ ...d, fundingWan: 'abc' }, '300.0000')).toEqual(['funding_invalid'])
  })

  it('takes only real calendar dates', () => {
    expect(isDate('2027-06-01')).toBe(true)
    expect(isDate('2027-02-29')).toBe(false)
    expect(isDate('2028-02-29')).toBe(true)
    expect(isDate('2027/06/01')).toBe(false)
    const d = { number: 'RWS-1', signedOn: '2027-13-01', fundingWan: '300' }
    expect(checkDraft(d, '300')).toEqual(['date_invalid'])
  })

  it('dates today by Beijing time', () => {
    expect(todayInBeijing(new Date('2027-05-31T17:00:00Z'))).toBe('2027-06-01')
    expect(todayInBeijing(new Date('2027-05-31T15:00:00Z'))).toBe('2027-05-31')
  })
})
