/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external resource, and a
 * Content-Security-Policy that forbids loading anything, so it can be mailed or opened offline. Every value
 * from the logs is escaped: a log file is not trusted input.
 */
import type { Attempt, AttemptEnd, ReportModel } from './reportModel';
import { escapeHtml } from '../../shared/html';

const END_LABEL: Record<AttemptEnd, string> = { succeeded: 'Password changed', failed: 'Ended with an error', unfinished: 'Left unfinished' };
const END_COLOUR: Record<AttemptEnd, string> = { succeeded: '#1a7f37', failed: '#c62828', unfinished: '#8c6d00' };

const barChart = (id: string, title: string, rows: { label: string; count: number; colour: string }[]): string => {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const rowHeight = 26;
  const labelWidth = 230;
  const barWidth = 360;
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const bars = rows
    .map((r, i) => {
      const y = i * rowHeight + 4;
      const w = Math.round((r.count / max) * barWidth);
      return (
        `<g class="bar" data-label="${escapeHtml(r.label)}" data-count="${r.count}">` +
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(r.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="18" fill="${r.colour}"></rect>` +
        `<text x="${labelWidth + w + 6}" y="${y + 17}">${r.count}</text></g>`
      );
    })
    .join('');
  const empty = rows.length === 0 ? `<text x="8" y="20">None in this range.</text>` : '';
  return `<figure id="${id}"><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${bars}${empty}</svg></figure>`;
};

const timelineSvg = (attempts: Attempt[]): string => {
  if (attempts.length === 0) return '<p id="timeline">No attempts in this range.</p>';
  const width = 880;
  const lanes = 8;
  const height = lanes * 14 + 40;
  const t0 = Date.parse(attempts[0]!.first);
  const t1 = Math.max(t0 + 1, Date.parse(attempts[attempts.length - 1]!.first));
  const x = (iso: string): number => 20 + Math.round(((Date.parse(iso) - t0) / (t1 - t0)) * (width - 40));
  const dots = attempts
    .map((a, i) => {
      const label = `${a.first} ${END_LABEL[a.end]}${a.errorCode ? ` (${a.errorCode})` : ''} ${a.correlationId}`;
      return `<circle class="attempt ${a.end}" cx="${x(a.first)}" cy="${14 + (i % lanes) * 14}" r="5" fill="${END_COLOUR[a.end]}"><title>${escapeHtml(label)}</title></circle>`;
    })
    .join('');
  const axis =
    `<line x1="20" y1="${height - 22}" x2="${width - 20}" y2="${height - 22}" stroke="#666"></line>` +
    `<text x="20" y="${height - 6}">${escapeHtml(attempts[0]!.first)}</text>` +
    `<text x="${width - 20}" y="${height - 6}" text-anchor="end">${escapeHtml(attempts[attempts.length - 1]!.first)}</text>`;
  return `<svg id="timeline" role="img" aria-label="Attempts over time" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${dots}${axis}</svg>`;
};

const attemptRow = (a: Attempt): string => {
  const steps = a.steps.map((s) => `${s.step}: ${s.outcome}${s.errorCode && s.errorCode !== s.outcome ? ` (${s.errorCode})` : ''}`).join(' → ');
  return (
    `<tr class="${a.end}"><td>${escapeHtml(a.first)}</td><td>${escapeHtml(a.user ?? '')}</td><td>${escapeHtml(a.scenario ?? '')}</td>` +
    `<td>${escapeHtml(a.engine ?? '')}</td><td>${escapeHtml(END_LABEL[a.end])}</td><td>${escapeHtml(a.errorCode ?? '')}</td>` +
    `<td>${escapeHtml(steps)}</td><td><code>${escapeHtml(a.correlationId)}</code></td></tr>`
  );
};

const CSS = `
body{font:14px/1.45 "Segoe UI",Arial,sans-serif;color:#1b1b1b;margin:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555}figure{margin:0 0 16px}figcaption{font-weight:600;margin-bottom:4px}
svg text{font:12px "Segoe UI",Arial,sans-serif;fill:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr.failed td:nth-child(5){color:#c62828}tr.succeeded td:nth-child(5){color:#1a7f37}
code{font:12px Consolas,monospace}.legend span{display:inline-block;margin-right:16px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
`;

export const renderReport = (model: ReportModel, opts: { title: string; range: string; source: string; generated: string }): string => {
  const ends = (Object.keys(END_LABEL) as AttemptEnd[]).map((e) => ({ label: END_LABEL[e], count: model.ends[e], colour: END_COLOUR[e] }));
  const codes = Object.entries(model.errorCodes)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, count]) => ({ label, count, colour: '#5c6bc0' }));
  const total = ends.reduce((n, e) => n + e.count, 0);
  const legend = (Object.keys(END_LABEL) as AttemptEnd[]).map((e) => `<span><i style="background:${END_COLOUR[e]}"></i>${END_LABEL[e]}</span>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(opts.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(opts.title)}</h1>
<p class="meta">Range: ${escapeHtml(opts.range)} · Source: ${escapeHtml(opts.source)} · ${model.records} record(s), ${total} attempt(s) · Generated ${escapeHtml(opts.generated)}</p>
<h2>Outcomes</h2>
${barChart('outcomes', 'How the attempts ended', ends)}
${barChart('error-codes', 'Error codes shown to users', codes)}
<h2>Timeline</h2>
<p class="legend">${legend}</p>
${timelineSvg(model.attempts)}
${model.olderAttempts > 0 ? `<p class="meta">${model.olderAttempts} older attempt(s) are counted above but not listed; narrow the range with --since/--until to list them.</p>` : ''}
<h2>Attempts</h2>
<table id="attempts"><thead><tr><th>Started (UTC)</th><th>User (hash)</th><th>Scenario</th><th>Engine</th><th>Outcome</th><th>Error code</th><th>Steps</th><th>Correlation id</th></tr></thead>
<tbody>${model.attempts.map(attemptRow).join('\n')}</tbody></table>
</body></html>
`;
};
