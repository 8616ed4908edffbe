// The DaemonSet `rollcall init` scaffolds when it is given none of the user's own.

/** Name of the example DaemonSet in {@link EXAMPLE_MANIFEST}. */
export const EXAMPLE_NAME = 'example-agent';

/** Where the example goes, relative to the folder being initialised. */
export const EXAMPLE_PATH = 'manifests/example-daemonset.yaml';

/** A small node agent; kwok never pulls images, and on kind the pause image is one tiny pull. */
export const EXAMPLE_MANIFEST = `# An example node agent for rollcall to exercise. Replace it with your own DaemonSet (a file
# with its ServiceAccount, ConfigMap and RBAC next to it is fine) and point the scenario at it.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${EXAMPLE_NAME}
  labels: {app: ${EXAMPLE_NAME}}
spec:
  selector:
    matchLabels: {app: ${EXAMPLE_NAME}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app: ${EXAMPLE_NAME}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.10
        resources:
          requests: {cpu: 10m, memory: 16Mi}
`;
