import type { Catalog, Programme } from '../src/bindings'

function programme(n: number, name: string, targets: [string, number, number, string][]): Programme {
  const code = `ZX0${n}`
  return {
    code,
    seq: n,
    name,
    short_name: name.replace(/专项$/, ''),
    focus: `重点开展${name}的研究。`,
    source: `专栏19 第${n}项`,
    targets: targets.map(([indicator, min, max, unit], i) => ({
      code: `${code}-T${i + 1}`,
      seq: i + 1,
      indicator,
      min,
      max,
      unit,
      printed: min === max ? `${min}${unit}` : `${min}-${max}${unit}`,
    })),
  }
}

/** A small catalog in the shape the shell sends: eight programmes, 现代农牧业 with its four targets. */
export const catalogFixture: Catalog = {
  programmes: [
    programme(1, '平安西藏专项', [['打造技术创新中心', 1, 2, '家']]),
    programme(2, '乡村振兴专项', [['建立示范村（镇）', 2, 3, '个']]),
    programme(3, '生态文明专项', [['打造高原生态实验室', 1, 1, '家']]),
    programme(4, '人口健康专项', [['研发藏药新药', 1, 3, '个']]),
    programme(5, '清洁能源专项', [['打造具有影响力的技术创新中心', 1, 1, '家']]),
    programme(6, '现代农牧业专项', [
      ['培育作物和畜牧新品种（系）', 10, 15, '个'],
      ['研制绿色种养殖技术', 25, 30, '项'],
      ['开发特色资源健康产品', 5, 10, '个'],
      ['打造一流实验室、技术创新中心', 1, 2, '家'],
    ]),
    programme(7, '藏文化传承保护专项', [['打造科技和文化融合示范基地', 1, 1, '家']]),
    programme(8, '矿产资源专项', [['形成矿山恢复治理技术', 2, 3, '项']]),
  ],
  plan_indicators: [],
  plan_footnotes: [],
}
