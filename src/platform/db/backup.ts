import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { AppError } from '../errors.js';

/**
 * `vigil backup`: a consistent copy of the SQLite database while the server keeps writing (SQLite's online backup
 * API copies pages and restarts over pages written meanwhile). The copy is written beside the target and renamed
 * into place only after it checks out, so a failed backup never leaves a half-written file under the target name.
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number; bytes: number }> {
  if (!fs.existsSync(source)) throw new AppError('not-found', `no database at ${source} (is VIGIL_DATA_DIR right?)`);
  if (fs.existsSync(target)) throw new AppError('conflict', `${target} already exists: choose a new file name`);
  const partial = `${target}.partial`;
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(partial);
    const copy = new SQLite(partial, { readonly: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, target);
    return { pages: totalPages, bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}
