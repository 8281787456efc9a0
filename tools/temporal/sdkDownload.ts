/** Whether the SDK's own download (temporal.download) would work from this machine right now. */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The host `@temporalio/testing` downloads the binaries from. */
export const DOWNLOAD_HOST = 'https://temporal.download';

/** How long the probe may take before the host counts as unreachable. */
export const PROBE_TIMEOUT_MS = 3000;

/** An artifact in the SDK's download service (see sdk-core ephemeral_server). */
export interface DownloadArtifact {
  artifact: string;
  format?: string;
}

/**
 * Asks temporal.download the same question the SDK asks before downloading (sdk-core's
 * `ephemeral_server::get_or_download`), then checks the archive it points to is reachable, all within ~3 s.
 */
export async function probeSdkDownload(spec: DownloadArtifact): Promise<boolean> {
  const platform =
    process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'windows' : 'linux';
  const arch =
    process.arch === 'x64'
      ? 'amd64'
      : process.arch === 'arm64' || process.arch === 'arm'
        ? 'arm64'
        : undefined;
  if (!arch) return false;
  const params = new URLSearchParams({ arch, platform });
  if (spec.format) params.set('format', spec.format);
  params.set('sdk-name', 'sdk-typescript');
  params.set('sdk-version', sdkVersion());
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const res = await fetch(`${DOWNLOAD_HOST}/${spec.artifact}/default?${params}`, { signal });
    if (!res.ok) return false;
    const info = (await res.json()) as { archiveUrl?: unknown };
    if (typeof info.archiveUrl !== 'string') return false;
    const archive = await fetch(info.archiveUrl, { method: 'HEAD', signal });
    return archive.ok;
  } catch {
    return false;
  }
}

function sdkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    // The package's `exports` hide package.json, so walk up from its entry point.
    const entry = require.resolve('@temporalio/testing');
    const pkg = require(path.join(path.dirname(entry), '..', 'package.json')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
