// What `rollcall setup --kind` asks the host for before building anything.
import { describe, expect, it } from 'vitest';
import { missingKindPrerequisites, prerequisiteMessage, type HostFacts } from '../../../src/toolchain/kind/kind-prerequisites.js';

const all = ['docker', 'dockerd', 'runc', 'jq', 'gcc', 'debootstrap'];
const host = (over: Partial<HostFacts> & { has?: string[] } = {}): HostFacts => ({
  which: (c) => ((over.has ?? all).includes(c) ? `/usr/bin/${c}` : undefined),
  dockerAnswers: false, staticBusybox: true, staticLibc: true, needsRuncWrapper: false, ...over,
});

describe('missingKindPrerequisites', () => {
  it('asks for nothing on a host that has everything', () => {
    expect(missingKindPrerequisites(host())).toEqual([]);
  });

  it('names each missing Debian package once, in build order', () => {
    const missing = missingKindPrerequisites(host({ has: ['gcc'], staticBusybox: false, needsRuncWrapper: true }));
    expect(missing.map((m) => m.debianPackage)).toEqual(['docker.io', 'jq', 'debootstrap', 'busybox-static']);
    expect(prerequisiteMessage(missing, '')).toMatch(/install them first \(on Debian\/Ubuntu: apt-get install docker.io jq debootstrap busybox-static\)$/);
  });

  it('needs no dockerd, runc or jq when a Docker daemon already answers', () => {
    expect(missingKindPrerequisites(host({ has: ['docker', 'gcc', 'debootstrap'], dockerAnswers: true, needsRuncWrapper: true }))).toEqual([]);
  });

  it('asks for static glibc and a static busybox (a dynamic /bin/busybox does not count)', () => {
    expect(missingKindPrerequisites(host({ staticLibc: false, staticBusybox: false })).map((m) => m.debianPackage)).toEqual(['libc6-dev', 'busybox-static']);
  });
});
