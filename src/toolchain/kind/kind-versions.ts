// Pinned versions of everything the kind toolchain builds. Changing one rebuilds into a new cache folder or image tag.

/** kind CLI, built from the Go module proxy. */
export const KIND_VERSION = '0.33.0';
/** crictl in the node image (kind's base image ships it; `kind export logs` uses it). */
export const CRI_TOOLS_VERSION = '1.36.0';
/**
 * The node image's CNI. kind's own kindnetd is a nested module that the module proxy does not
 * serve, so we use flannel (host-gw backend): same job on kind's single docker bridge, routing
 * each node's pod CIDR to that node's IP.
 */
export const FLANNEL_VERSION = '0.28.10';
/** Debian release that the node rootfs and helper rootfs are debootstrapped from. */
export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** Local image names. `rollcall.local/...` never resolves to a registry, so nothing is ever pulled by mistake. */
export const IMAGE_REPO = 'rollcall.local';

/**
 * Bump when anything we write into an image changes (files under node-files/, Dockerfiles,
 * build steps), so cached images built by an older recipe are rebuilt.
 */
export const KIND_RECIPE = 1;

/** The OCI registry kind clusters pull from (distribution's `registry`, from the Go module proxy). */
export const DISTRIBUTION_VERSION = '3.1.2';
/** Toxiproxy in front of that registry, for slow pulls and outages. */
export const TOXIPROXY_VERSION = '2.5.0';
