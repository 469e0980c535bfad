// A track's scores as a bar chart. ECharts is imported piecemeal (bar + grid + tooltip + canvas) and
// only when a results tab shows a chart, so the console's first load never pays for it.
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { UnitResultView } from '../../../src/modules/event/schemas.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function ScoreChart({ rows, decimals }: { rows: UnitResultView[]; decimals: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    const ranked = rows.filter((r) => r.score !== null);
    chart.setOption({
      grid: { left: 48, right: 16, top: 24, bottom: 72 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(decimals) : String(v)),
      },
      xAxis: {
        type: 'category',
        data: ranked.map((r) => r.unitName),
        axisLabel: { interval: 0, rotate: ranked.length > 8 ? 30 : 0 },
      },
      // From 0 (or below, for a negative score): with `scale` the axis started at the lowest score, so
      // that unit's bar had no height at all and the others looked far apart.
      yAxis: { type: 'value', min: (extent: { min: number }) => Math.min(0, extent.min) },
      series: [
        {
          type: 'bar',
          data: ranked.map((r) => r.score),
          itemStyle: { color: '#b71c1c' },
          label: {
            show: ranked.length <= 20,
            position: 'top',
            formatter: (p: { value: unknown }) => Number(p.value).toFixed(decimals),
          },
        },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [rows, decimals]);
  return <div ref={el} style={{ width: '100%', height: 280, marginTop: 16 }} data-testid="score-chart" />;
}
