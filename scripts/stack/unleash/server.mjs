// Unleash server for the local stack. Configuration comes from the environment set by scripts/stack/unleash.sh.
import { start } from 'unleash-server';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

await start({
  db: {
    host: '127.0.0.1',
    port: Number(env('STACK_PG_PORT')),
    database: 'unleash',
    user: 'unleash',
    password: env('STACK_PG_PASSWORD'),
    ssl: false,
  },
  server: { port: Number(env('STACK_UNLEASH_PORT')), host: '127.0.0.1' },
  authentication: {
    type: 'open-source',
    enableApiToken: true,
    createAdminUser: true,
    initialAdminUser: { username: 'admin', password: env('STACK_UNLEASH_ADMIN_PASSWORD') },
    initApiTokens: [
      { tokenName: 'stack-admin', type: 'admin', projects: ['*'], environment: '*', secret: env('STACK_UNLEASH_ADMIN_TOKEN') },
      { tokenName: 'stack-backend', type: 'backend', projects: ['*'], environment: 'development', secret: env('STACK_UNLEASH_CLIENT_TOKEN') },
    ],
  },
  versionCheck: { enable: false },
});
