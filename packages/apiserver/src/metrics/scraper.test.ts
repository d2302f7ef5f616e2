import type { KubeObject } from '@k8ts/api';
import { describe, expect, it } from 'vitest';
import { MetricsStorage } from './metrics-storage.ts';
import { kubeletAddress, MetricsScraper, type KubeletAddress } from './scraper.ts';

function node(name: string, ip: string, port: number, ready = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  } as KubeObject;
}

describe('kubeletAddress', () => {
  it("is the Ready node's InternalIP and kubelet port", () => {
    expect(kubeletAddress(node('a', '127.18.0.2', 40123))).toEqual({ nodeName: 'a', host: '127.18.0.2', port: 40123 });
    expect(kubeletAddress(node('b', '127.18.0.3', 10250, false))).toBeUndefined();
  });
});

describe('MetricsScraper', () => {
  it('scrapes every Ready node each cycle and stores what it read; a failing node is left out and logged once', async () => {
    let now = 1_735_689_600_000;
    let cpuSeconds = 10;
    const asked: string[] = [];
    const warnings: string[] = [];
    const fetch = async (kubelet: KubeletAddress) => {
      asked.push(`${kubelet.host}:${kubelet.port}`);
      if (kubelet.nodeName === 'broken') throw new Error('connect ECONNREFUSED');
      return `node_cpu_usage_seconds_total ${cpuSeconds} ${now}\nnode_memory_working_set_bytes 1048576 ${now}\n`;
    };
    const storage = new MetricsStorage(2000);
    const nodes = [node('good', '127.18.0.2', 40001), node('broken', '127.18.0.3', 40002), node('down', '127.18.0.4', 40003, false)];
    const scraper = new MetricsScraper({ storage, nodes: () => nodes, fetch, resolutionMs: 2000, now: () => now, logger: { warn: (m) => warnings.push(m) } });

    await scraper.scrapeOnce();
    expect(asked.sort()).toEqual(['127.18.0.2:40001', '127.18.0.3:40002']);
    expect(storage.nodeUsage('good')).toBeUndefined();
    now += 2000;
    cpuSeconds += 1;
    await scraper.scrapeOnce();
    expect(storage.nodeUsage('good')).toEqual({ timestamp: now, windowMs: 2000, cpuNanoCores: 500_000_000, memoryBytes: 1048576 });
    expect(storage.nodeUsage('broken')).toBeUndefined();
    expect(warnings).toEqual(['Failed to scrape node, err="connect ECONNREFUSED" node="broken"']);
  });
});
