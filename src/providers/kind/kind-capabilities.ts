// What the kind provider can do, and which image each bad-image kind is on real kubelets.
import type { V1Container } from '@kubernetes/client-node';
import { CapabilityError } from '../../util/errors.js';
import { requireCapability, type CapabilitySet } from '../capabilities.js';
import type { BadImageKind } from '../cluster.js';
import { PULL_ERROR_IMAGE } from './kind-images.js';

const NO_CONTROL_PLANE = 'not implemented on kind yet: its control plane runs as static pods inside the control-plane node container';

/** Real kubelets: every node and pod fault is done to real machines, every bad image is a real pull or start. */
export const KIND_CAPABILITIES: CapabilitySet = {
  'node-add': true, 'node-remove': true, 'node-fail': true, 'pod-fail': true,
  'pull-error': true, 'crash-loop': true, 'never-ready': true,
  'missing-tag': true, 'auth-required': true, 'slow-registry': true, 'registry-outage': true,
  'control-plane-restart': NO_CONTROL_PLANE, 'control-plane-pause': NO_CONTROL_PLANE,
};

/** The images a kind run cluster built and loaded into its nodes. */
export interface KindBadImages {
  crashLoop: string;
  neverReady: string;
}

/** The references the cluster's registry serves badly (see KindRegistry). */
export interface RegistryBadImages {
  /** A tag the registry does not have (404). */
  missingTagImage: string;
  /** An image of the registry that refuses anonymous pulls (401). */
  authRequiredImage: string;
  /** An image only served through Toxiproxy with latency on every chunk. */
  slowImage: string;
}

/**
 * Real pulls and starts. pull-error: a registry that does not exist (ErrImagePull). missing-tag,
 * auth-required, slow-registry: the cluster's own registry answers 404, 401, or very slowly.
 * crash-loop: our image whose every command exits 1 (CrashLoopBackOff). never-ready: our image
 * that runs but answers no probe, only for a container that has a readiness probe: without one a
 * real kubelet marks a running container Ready whatever its image does.
 */
export function kindBadImage(kind: BadImageKind, images: KindBadImages, registry: RegistryBadImages | undefined, container?: V1Container): string {
  requireCapability('kind', KIND_CAPABILITIES, kind, `push a "${kind}" image`);
  if (kind === 'pull-error') return PULL_ERROR_IMAGE;
  if (kind === 'crash-loop') return images.crashLoop;
  if (kind === 'never-ready') {
    if (!container?.readinessProbe) {
      throw new CapabilityError('kind', `push a "never-ready" image${container ? ` into container ${container.name}` : ''}`, 'it has no readinessProbe, and on a real kubelet a running container without one is Ready whatever its image does; give the DaemonSet a readinessProbe');
    }
    return images.neverReady;
  }
  if (!registry) throw new CapabilityError('kind', `push a "${kind}" image`, 'this cluster has no registry (it did not start)');
  if (kind === 'missing-tag') return registry.missingTagImage;
  if (kind === 'auth-required') return registry.authRequiredImage;
  return registry.slowImage;
}
