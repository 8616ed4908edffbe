// One GET against the API server (or any HTTPS endpoint of the cluster) with a hard deadline: a
// frozen server (SIGSTOP) accepts the connection and never answers, so every probe needs one.
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RawResponse {
  status: number;
  body: string;
}

/** Thrown when nothing came back within the deadline (the server may be paused or gone). */
export class RequestTimeout extends Error {
  constructor(readonly url: string, readonly timeoutMs: number) {
    super(`GET ${url}: no answer within ${timeoutMs} ms`);
  }
}

/** GET `path` of the kubeconfig's current cluster, with its credentials; rejects with RequestTimeout after `timeoutMs`. */
export async function apiGet(kubeconfig: KubeConfig, path: string, timeoutMs: number): Promise<RawResponse> {
  const server = kubeconfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const opts: RequestOptions = {};
  await kubeconfig.applyToHTTPSOptions(opts);
  return rawGet(new URL(path, server).toString(), timeoutMs, opts);
}

/**
 * GET a URL (http or https). Component endpoints (a controller manager's /healthz) serve a
 * self-signed certificate, so `opts` defaults to not verifying it: only liveness is read.
 */
export function rawGet(url: string, timeoutMs: number, opts: RequestOptions = { rejectUnauthorized: false }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = request(u, { ...opts, method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new RequestTimeout(url, timeoutMs));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
