import { spawnSync } from 'node:child_process';

/** The oldest Java that DynamoDB Local 3 runs on. */
const MIN_JAVA_MAJOR = 17;

export const JAVA_INSTALL_HINT = 'install it with: apt-get install -y openjdk-17-jre-headless';

/**
 * Checks that `java` is on the PATH and new enough. Returns an error message of one line,
 * or undefined when Java is fine.
 */
export function checkJava(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    return `Java ${MIN_JAVA_MAJOR} or newer is required for DynamoDB Local and was not found; ${JAVA_INSTALL_HINT}`;
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < MIN_JAVA_MAJOR) {
    return `Java ${MIN_JAVA_MAJOR} or newer is required for DynamoDB Local, found ${major || 'an unknown version'}; ${JAVA_INSTALL_HINT}`;
  }
  return undefined;
}
