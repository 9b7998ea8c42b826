// The Kubernetes manifests, checked without a cluster: each document against the Kubernetes
// API's schema (kubernetes-models, generated from its OpenAPI definitions), then what a schema
// cannot see: the objects name each other correctly, the probes are the API's, and every
// variable the API is given is one it reads (.env.example).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const here = fileURLToPath(new URL('./', import.meta.url));
const envExample = fileURLToPath(new URL('../../.env.example', import.meta.url));

/** The kinds these manifests may hold, each with the model that validates it. */
const MODELS = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
} as const;
type Kind = keyof typeof MODELS;

interface Manifest {
  file: string;
  key: string;
  object: Record<string, unknown>;
}

/** A valid object of the kind, or throws with what is wrong (the model's validate()). */
function validateManifest(key: string, object: Record<string, unknown>): void {
  const Model = MODELS[key as Kind];
  if (!Model) throw new Error(`no schema for ${key}: add its model to MODELS`);
  // biome-ignore lint/suspicious/noExplicitAny: each model takes its own kind's shape; validate() is the check.
  new Model(object as any).validate();
}

function readManifests(): Manifest[] {
  return readdirSync(here)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(`${here}${file}`, 'utf8')).map((document) => {
        expect(document.errors, `${file}: YAML errors`).toEqual([]);
        const object = document.toJS() as Record<string, unknown>;
        return { file, key: `${object.apiVersion} ${object.kind}`, object };
      }),
    );
}

const manifests = readManifests();
const one = <T>(key: Kind) => {
  const found = manifests.filter((manifest) => manifest.key === key);
  expect(found, key).toHaveLength(1);
  return found[0]?.object as T;
};

describe('deploy/kubernetes: the manifests against the Kubernetes API schema', () => {
  it('holds one of each kind the scale-out needs', () => {
    expect(manifests.map((manifest) => manifest.key).sort()).toEqual(Object.keys(MODELS).sort());
  });

  for (const manifest of manifests) {
    it(`${manifest.file}: ${manifest.key} is valid`, () => {
      expect(() => validateManifest(manifest.key, manifest.object)).not.toThrow();
    });
  }

  it('the validator refuses what the API server would: a wrong type, a missing required field', () => {
    const deployment = structuredClone(manifests.find((m) => m.key === 'apps/v1 Deployment')?.object ?? {});
    const spec = deployment.spec as Record<string, unknown>;
    expect(() =>
      validateManifest('apps/v1 Deployment', { ...deployment, spec: { ...spec, replicas: 'three' } }),
    ).toThrow(/replicas/);
    const { selector: _selector, ...withoutSelector } = spec;
    expect(() => validateManifest('apps/v1 Deployment', { ...deployment, spec: withoutSelector })).toThrow(/selector/);
  });
});

// Only the fields these checks read.
interface Labels {
  [name: string]: string;
}
interface Probe {
  httpGet: { path: string; port: string; scheme: string };
}
interface DeploymentShape {
  metadata: { name: string };
  spec: {
    replicas: number;
    selector: { matchLabels: Labels };
    strategy: { rollingUpdate: { maxUnavailable: number } };
    template: {
      metadata: { labels: Labels };
      spec: {
        containers: {
          ports: { name: string }[];
          envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
          readinessProbe: Probe;
          livenessProbe: Probe;
        }[];
      };
    };
  };
}

describe('deploy/kubernetes: what the schema cannot see', () => {
  const deployment = one<DeploymentShape>('apps/v1 Deployment');
  const podLabels = deployment.spec.template.metadata.labels;
  const container = deployment.spec.template.spec.containers[0];
  const matches = (selector: Labels) => Object.entries(selector).every(([name, value]) => podLabels[name] === value);

  it("the Deployment's, the Service's and the disruption budget's selectors pick the API's pods", () => {
    expect(matches(deployment.spec.selector.matchLabels)).toBe(true);
    expect(matches(one<{ spec: { selector: Labels } }>('v1 Service').spec.selector)).toBe(true);
    expect(
      matches(
        one<{ spec: { selector: { matchLabels: Labels } } }>('policy/v1 PodDisruptionBudget').spec.selector.matchLabels,
      ),
    ).toBe(true);
  });

  it('the Service targets a port the container names; the autoscaler scales this Deployment', () => {
    const service = one<{ spec: { ports: { targetPort: string }[] } }>('v1 Service');
    const names = container?.ports.map((port) => port.name);
    for (const port of service.spec.ports) expect(names).toContain(port.targetPort);
    const hpa = one<{ spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } }>(
      'autoscaling/v2 HorizontalPodAutoscaler',
    );
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(deployment.spec.replicas);
  });

  it('readiness is /readyz and liveness /healthz, over HTTPS (the API serves only TLS)', () => {
    expect(container?.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(container?.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
  });

  it('a rolling update and a disruption never take more than one replica out, and keep the rest ready', () => {
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const pdb = one<{ spec: { maxUnavailable: number } }>('policy/v1 PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('the API reads its environment from the ConfigMap and the Secret, and every variable there is one .env.example documents', () => {
    const configMap = one<{ metadata: { name: string }; data: Labels }>('v1 ConfigMap');
    const secret = one<{ metadata: { name: string }; stringData: Labels }>('v1 Secret');
    expect(container?.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    // Documented variables: `NAME=` lines, set or commented out.
    const documented = new Set(
      [...readFileSync(envExample, 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]),
    );
    const given = [...Object.keys(configMap.data), ...Object.keys(secret.stringData)];
    expect(given.filter((name) => !documented.has(name))).toEqual([]);
  });
});
