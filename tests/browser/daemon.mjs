// A real parcoursd for the browser tests: started on a free loopback port
// with a SQLite database in a temporary folder, its own keys, and the pages
// of the repository's web/ folder; stopped by its own PID. Node's standard
// library only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'correct horse battery staple 42';

function binary() {
  const bin = process.env.PARCOURS_BIN;
  if (!bin) throw new Error('PARCOURS_BIN must name the parcoursd binary (set by ctest)');
  return bin;
}

export class Daemon {
  constructor(extraArgs = []) {
    this.dir = mkdtempSync(join(tmpdir(), 'parcours-browser-'));
    this.database = `sqlite:${this.dir}/parcours.db`;
    this.extraArgs = extraArgs;
    this.process = null;
    this.base = null;
  }

  // The daemon's test clock (setting testing.clock_offset_file, tests only;
  // daemon/test_clock.h): call before start(). Sign-in sessions then last
  // 720 h so that a journey moved days ahead keeps its tokens.
  useTestClock() {
    this.clockFile = join(this.dir, 'clock-offset');
    this.extraArgs.push('--set', `testing.clock_offset_file=${this.clockFile}`, '--set', 'security.session_hours=720');
    return this;
  }

  // The daemon's now becomes real time + seconds, at once (an atomic rename:
  // the daemon never reads half a number).
  setClockOffset(seconds) {
    const temporary = `${this.clockFile}.new`;
    writeFileSync(temporary, `${Math.trunc(seconds)}\n`);
    renameSync(temporary, this.clockFile);
  }

  async start() {
    const args = ['--listen', '127.0.0.1:0', '--database', this.database,
                  '--set', `http.web_root=${join(repository, 'web')}`, ...this.extraArgs];
    this.process = spawn(binary(), args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.log = '';
    this.process.stderr.on('data', (chunk) => { this.log += chunk; });
    this.base = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`parcoursd did not listen within 60 s:\n${this.log}`)), 60000);
      this.process.stdout.on('data', (chunk) => {
        out += chunk;
        const found = /parcoursd listening on http:\/\/(127\.0\.0\.1):(\d+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(`http://${found[1]}:${found[2]}`);
        }
      });
      this.process.on('exit', (code) => reject(new Error(`parcoursd exited (${code}):\n${this.log}`)));
    });
    return this;
  }

  // `parcoursd admin create` in the daemon's folder (its ./var/keys).
  createAdmin(email, password = PASSWORD) {
    const done = spawnSync(binary(), ['admin', 'create', '--email', email, '--password', password,
                                      '--database', this.database], { cwd: this.dir, timeout: 120000 });
    if (done.status !== 0) throw new Error(`admin create failed: ${done.stderr}`);
  }

  // One JSON request → { status, body }.
  async api(method, path, { token, body } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.on('exit', resolve));
      process.kill(this.process.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A signed-in admin's bearer token (for setting up what a journey needs).
export async function adminToken(daemon, email = 'admin@example.org') {
  daemon.createAdmin(email);
  const signedIn = await daemon.api('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  if (signedIn.status !== 200) throw new Error(`admin login: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  return signedIn.body.token;
}
