import type { QrMatrix } from '../../shared/ipc';

/** White modules around the code that scanners need to find it (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/** Each row's runs of dark modules as [start, length], so a version-3 code is ~200 rects, not 450. */
const darkRuns = (row: string): Array<[number, number]> => {
  const runs: Array<[number, number]> = [];
  for (let col = 0; col < row.length; ) {
    if (row[col] !== '1') {
      col++;
      continue;
    }
    const start = col;
    while (row[col] === '1') col++;
    runs.push([start, col - start]);
  }
  return runs;
};

/**
 * Paints the matrix main computed (app:resetAddress) as an SVG of rects. Always black on white, also in
 * forced colours: a phone camera needs the contrast, whatever the screen's theme.
 */
export const QrCode = ({ qr, label }: { qr: QrMatrix; label: string }) => {
  const full = qr.size + 2 * QUIET_ZONE;
  const rects = [];
  for (let r = 0; r < qr.size; r++) {
    for (const [start, length] of darkRuns(qr.modules.slice(r * qr.size, (r + 1) * qr.size))) {
      rects.push(<rect key={`${r}-${start}`} x={start + QUIET_ZONE} y={r + QUIET_ZONE} width={length} height={1} />);
    }
  }
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${full} ${full}`}
      shapeRendering="crispEdges"
      data-modules={qr.size}
    >
      <rect width={full} height={full} fill="#fff" />
      <g fill="#000">{rects}</g>
    </svg>
  );
};
