/**
 * The reset address as a QR code, so a person sent to "reset it on another device" can finish on a phone.
 * Drawn here in the main process with the `qrcode` package (the renderer's first load stays small): the
 * renderer only gets the module matrix and paints it.
 */
import { create } from 'qrcode';
import type { QrMatrix } from '../../shared/ipc';

/**
 * Medium error correction (ISO/IEC 18004 level M, ~15% of the code may be damaged): a phone camera held
 * at a laptop screen copes with glare, and the default portal address still fits a small version-3 code.
 */
export const QR_ERROR_CORRECTION = 'M' as const;

/** The matrix row by row, '1' for a dark module, as the IPC contract carries it. */
export const qrMatrix = (text: string): QrMatrix => {
  const code = create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const { size, data } = code.modules;
  let modules = '';
  for (let i = 0; i < size * size; i++) modules += data[i] ? '1' : '0';
  return { size, modules };
};
