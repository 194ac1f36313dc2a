// examples/gpu-runners: the ARC runner scale set (Helm values and AutoscalingRunnerSet) and the namespace objects,
// validated against a JSON Schema subset of the Kubernetes and ARC fields they use (Kubernetes core/v1 PodTemplateSpec,
// ARC actions.github.com/v1alpha1 AutoscalingRunnerSet and the gha-runner-scale-set chart's values), and checked for
// what makes them GPU runners: a whole nvidia.com/gpu limit, a GPU node selector and a toleration of the GPU taint.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { load as loadYaml } from 'js-yaml';

const DIR = join(process.cwd(), 'examples', 'gpu-runners');
const read = (file: string) => loadYaml(readFileSync(join(DIR, file), 'utf8')) as any;

// Kubernetes' resource.Quantity (apimachinery's regular expression) and DNS names.
const quantity = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^[+]?[0-9.]+([eE][-+]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$' },
  ],
};
const dnsLabel = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const objectMeta = {
  type: 'object',
  additionalProperties: false,
  properties: { name: dnsLabel, namespace: dnsLabel, labels: stringMap, annotations: stringMap },
};
const resources = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', additionalProperties: quantity },
    // Extended resources such as nvidia.com/gpu take whole numbers only, and cannot be overcommitted.
    limits: {
      type: 'object',
      properties: {
        'nvidia.com/gpu': {
          anyOf: [
            { type: 'integer', minimum: 1 },
            { type: 'string', pattern: '^[1-9][0-9]*$' },
          ],
        },
      },
      additionalProperties: quantity,
    },
  },
};
const container = {
  type: 'object',
  required: ['name', 'image'],
  additionalProperties: false,
  properties: {
    name: dnsLabel,
    image: { type: 'string', minLength: 1 },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    env: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, value: { type: 'string' }, valueFrom: { type: 'object' } },
      },
    },
    resources,
    securityContext: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowPrivilegeEscalation: { type: 'boolean' },
        runAsNonRoot: { type: 'boolean' },
        runAsUser: { type: 'integer' },
        runAsGroup: { type: 'integer' },
        privileged: { type: 'boolean' },
        readOnlyRootFilesystem: { type: 'boolean' },
        capabilities: {
          type: 'object',
          additionalProperties: false,
          properties: { add: { type: 'array', items: { type: 'string' } }, drop: { type: 'array', items: { type: 'string' } } },
        },
        seccompProfile: {
          type: 'object',
          required: ['type'],
          properties: { type: { enum: ['RuntimeDefault', 'Localhost', 'Unconfined'] } },
        },
      },
    },
    volumeMounts: { type: 'array', items: { type: 'object', required: ['name', 'mountPath'] } },
  },
};
const toleration = {
  type: 'object',
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    operator: { enum: ['Exists', 'Equal'] },
    value: { type: 'string' },
    effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    tolerationSeconds: { type: 'integer' },
  },
};
const podTemplate = {
  type: 'object',
  required: ['spec'],
  additionalProperties: false,
  properties: {
    metadata: objectMeta,
    spec: {
      type: 'object',
      required: ['containers'],
      additionalProperties: false,
      properties: {
        nodeSelector: stringMap,
        tolerations: { type: 'array', items: toleration },
        runtimeClassName: { type: 'string' },
        restartPolicy: { enum: ['Never', 'OnFailure', 'Always'] },
        serviceAccountName: { type: 'string' },
        securityContext: {
          type: 'object',
          additionalProperties: false,
          properties: {
            fsGroup: { type: 'integer' },
            runAsNonRoot: { type: 'boolean' },
            runAsUser: { type: 'integer' },
            seccompProfile: {
              type: 'object',
              required: ['type'],
              properties: { type: { enum: ['RuntimeDefault', 'Localhost', 'Unconfined'] } },
            },
          },
        },
        containers: { type: 'array', minItems: 1, items: container },
        initContainers: { type: 'array', items: container },
        volumes: { type: 'array', items: { type: 'object', required: ['name'] } },
      },
    },
  },
};
// The fields the scale set shares between the chart's values and the AutoscalingRunnerSet spec.
const scaleSetFields = {
  githubConfigUrl: { type: 'string', pattern: '^https://[^/]+/[^/]+(/[^/]+)?$' },
  githubConfigSecret: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
  runnerScaleSetName: dnsLabel,
  runnerGroup: { type: 'string' },
  minRunners: { type: 'integer', minimum: 0 },
  maxRunners: { type: 'integer', minimum: 0 },
  template: podTemplate,
};
const helmValuesSchema = {
  type: 'object',
  required: ['githubConfigUrl', 'githubConfigSecret', 'runnerScaleSetName', 'template'],
  additionalProperties: false,
  properties: { ...scaleSetFields, scaleSetLabels: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } },
};
const autoscalingRunnerSetSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'actions.github.com/v1alpha1' },
    kind: { const: 'AutoscalingRunnerSet' },
    metadata: { ...objectMeta, required: ['name', 'namespace'] },
    spec: {
      type: 'object',
      required: ['githubConfigUrl', 'githubConfigSecret', 'template'],
      additionalProperties: false,
      properties: scaleSetFields,
    },
  },
};
const kubernetesObjectSchema = (apiVersion: string, kind: string, spec?: object) => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: apiVersion },
    kind: { const: kind },
    metadata: { ...objectMeta, required: ['name'] },
    ...(spec ? { spec } : {}),
  },
});

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
const errorsOf = (schema: object, doc: unknown) => {
  const validate = ajv.compile(schema);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

const values = read('values.yaml');
const runnerSet = read('autoscalingrunnerset.yaml');

describe('the GPU runner scale set manifests', () => {
  it('validate against the Kubernetes and ARC schema subset', () => {
    expect(errorsOf(helmValuesSchema, values)).toEqual([]);
    expect(errorsOf(autoscalingRunnerSetSchema, runnerSet)).toEqual([]);
    expect(errorsOf(kubernetesObjectSchema('v1', 'Namespace'), read('namespace.yaml'))).toEqual([]);
    expect(
      errorsOf(
        kubernetesObjectSchema('v1', 'ResourceQuota', {
          type: 'object',
          required: ['hard'],
          properties: { hard: { type: 'object', additionalProperties: quantity } },
        }),
        read('resourcequota.yaml'),
      ),
    ).toEqual([]);
    expect(
      errorsOf(
        kubernetesObjectSchema('networking.k8s.io/v1', 'NetworkPolicy', { type: 'object', required: ['podSelector'] }),
        read('networkpolicy.yaml'),
      ),
    ).toEqual([]);
    expect(errorsOf(kubernetesObjectSchema('v1', 'Secret'), read('github-app-secret.example.yaml'))).toEqual([]);
  });

  it('the schema catches the mistakes that matter', () => {
    const broken = structuredClone(values);
    broken.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '0.5';
    broken.template.spec.nodeSelecter = broken.template.spec.nodeSelector;
    broken.template.spec.tolerations[0].operator = 'exists';
    expect(errorsOf(helmValuesSchema, broken)).toEqual(
      expect.arrayContaining([
        '/template/spec must NOT have additional properties',
        '/template/spec/tolerations/0/operator must be equal to one of the allowed values',
        expect.stringMatching(/^\/template\/spec\/containers\/0\/resources\/limits\/nvidia\.com~1gpu /),
      ]),
    );
    expect(errorsOf(autoscalingRunnerSetSchema, { ...runnerSet, kind: 'RunnerDeployment' })).toEqual(['/kind must be equal to constant']);
  });

  it.each([
    ['values.yaml', () => values.template],
    ['autoscalingrunnerset.yaml', () => runnerSet.spec.template],
  ])('%s: every pod holds a whole GPU, only on GPU nodes, tolerating their taint', (_file, template) => {
    const spec = template().spec;
    const runner = spec.containers.find((c: any) => c.name === 'runner');
    expect(runner).toBeDefined();
    expect(Number(runner.resources.limits['nvidia.com/gpu'])).toBeGreaterThanOrEqual(1);
    expect(Object.keys(spec.nodeSelector).some((key) => key.startsWith('nvidia.com/'))).toBe(true);
    expect(spec.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' })]));
    expect(spec.restartPolicy).toBe('Never');
    expect(runner.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true });
  });

  it('the Helm values and the resource describe the same scale set', () => {
    for (const key of [
      'githubConfigUrl',
      'githubConfigSecret',
      'runnerScaleSetName',
      'runnerGroup',
      'minRunners',
      'maxRunners',
      'template',
    ])
      expect(runnerSet.spec[key]).toEqual(values[key]);
    expect(runnerSet.metadata.namespace).toBe(read('namespace.yaml').metadata.name);
  });

  it('scales to zero, and the quota holds every runner the set may start', () => {
    expect(values.minRunners).toBe(0);
    const gpusPerPod = Number(values.template.spec.containers[0].resources.limits['nvidia.com/gpu']);
    expect(Number(read('resourcequota.yaml').spec.hard['requests.nvidia.com/gpu'])).toBeGreaterThanOrEqual(values.maxRunners * gpusPerPod);
  });

  it('carries the labels gpu-benchmark.yml targets, and actionlint knows them', () => {
    const workflow = loadYaml(readFileSync(join(process.cwd(), '.github', 'workflows', 'gpu-benchmark.yml'), 'utf8')) as any;
    const labels: string[] = JSON.parse(workflow.on.workflow_call.inputs['runner-labels'].default);
    expect(labels).toEqual(['self-hosted', 'linux', 'gpu']);
    expect(values.scaleSetLabels).toEqual(expect.arrayContaining(labels));
    const actionlint = loadYaml(readFileSync(join(process.cwd(), '.github', 'actionlint.yaml'), 'utf8')) as any;
    expect(actionlint['self-hosted-runner'].labels).toEqual(expect.arrayContaining(['gpu']));
  });

  it('commits no real credentials', () => {
    const secret = read('github-app-secret.example.yaml');
    expect(secret.stringData.github_app_private_key).not.toMatch(/^[A-Za-z0-9+/=]{64,}$/m);
    expect(readFileSync(join(DIR, 'values.yaml'), 'utf8')).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}|github_token/);
  });
});
