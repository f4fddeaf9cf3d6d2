// Texts of the override of the 挂帅 choice (ChallengeOverride, inside ChallengePanel): the automatic
// choice, the eligible teams, the officer's pick and its mandatory reason. Merged under `challengeOverride`.
export const zh = {
  title: '改选挂帅团队',
  automatic: '按核心指标和排名自动选定：{list}',
  noAutomatic: '本轮排名中没有满足全部核心指标的团队',
  overridden: '项目办改选',
  reason: '改选理由',
  reasonPlaceholder: '写明为何不按排名选定（必填，记入审计日志并印在推荐名单上）',
  hint: '可改选其他满足全部核心指标的团队（最多 {seats} 个）；未满足核心指标的团队不能选定。',
  rank: '第 {rank} 名 · {score} 分',
  out: '未满足核心指标',
  pick: '改选',
  frozen: '公示已开始，挂帅团队不能再修改',
  done: '已改选挂帅团队：{list}',
}

export const en = {
  title: 'Select another team',
  automatic: 'Selected by the core indicators and the ranking: {list}',
  noAutomatic: 'No ranked team meets every core indicator',
  overridden: 'Chosen by the office',
  reason: 'Reason',
  reasonPlaceholder: 'Why not the ranking’s choice (required; recorded in the audit log and printed on the list)',
  hint: 'You may select other teams that meet every core indicator (at most {seats}); a team below a core indicator cannot be selected.',
  rank: 'rank {rank} · {score}',
  out: 'Below a core indicator',
  pick: 'Select',
  frozen: 'The public notice has started: the selection can no longer change',
  done: 'Selected: {list}',
}
