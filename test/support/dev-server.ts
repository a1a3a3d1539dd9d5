import { startSeededServer } from './seeded-server.js';

/**
 * `npm run dev:seeded`: the seeded server the browser tests use, kept running to look at the app by hand
 * (PORT, default 8090; VIGIL_WEB_DIR to serve another build of the web app).
 */
const server = await startSeededServer({ port: Number(process.env.PORT ?? 8090), ...(process.env.VIGIL_WEB_DIR && { webDir: process.env.VIGIL_WEB_DIR }), empty: process.env.EMPTY === '1' });
console.log(`Vigil (seeded) at ${server.url} — sign in as ${server.username} / ${server.password}`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
