/**
 * Sets (or, with undefined, removes) process-wide environment variables and returns a function that
 * puts the old values back. The bot runs in this process, and some libraries read only process.env:
 * the AWS SDK its credentials, the Kubernetes client KUBECONFIG.
 */
export function overrideEnv(values: Readonly<Record<string, string | undefined>>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply({ ...values });
  return () => apply(before);
}
