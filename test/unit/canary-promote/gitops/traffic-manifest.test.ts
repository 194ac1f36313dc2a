// Traffic fields read and set in KServe, Istio and Argo Rollouts manifests, every other byte of the file kept.
import { parseTrafficManifest } from '../../../../actions/canary-promote/src/gitops/traffic-manifest.js';

const ISTIO = `# traffic split for the fraud model
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: fraud-detector
spec:
  hosts: [fraud-detector]
  http:
    - match:
        - headers: {x-canary: {exact: "always"}}
      route:
        - destination: {host: fraud-detector, subset: canary}
    - route:
        - destination:
            host: fraud-detector
            subset: stable   # v1
          weight: 90
        - destination:
            host: fraud-detector
            subset: canary   # v2
          weight: 10
`;

const ARGO = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: fraud-detector
spec:
  strategy:
    canary:
      steps:
        - setWeight: 25 # managed by canary-promote
        - pause: {}
`;

describe('traffic manifests', () => {
  test('Istio: the canary and baseline weights move together and still add up to 100', () => {
    const m = parseTrafficManifest('vs.yaml', ISTIO);
    expect(m).toMatchObject({ kind: 'istio', resource: 'VirtualService/fraud-detector', currentWeight: 10 });
    expect(m.withWeight(25)).toBe(ISTIO.replace('weight: 90', 'weight: 75').replace('weight: 10', 'weight: 25'));
  });

  test('Istio: weights that do not add up to 100 are refused with the line', () => {
    expect(() => parseTrafficManifest('vs.yaml', ISTIO.replace('weight: 90', 'weight: 80'))).toThrow(
      /^vs\.yaml:14: VirtualService 'fraud-detector': route weights add up to 90, not 100$/,
    );
  });

  test('Istio: a route to the canary is found by its subset or the canary version', () => {
    const byVersion = ISTIO.replace(/subset: canary/g, 'subset: v2');
    expect(parseTrafficManifest('vs.yaml', byVersion, 'v2').currentWeight).toBe(10);
    expect(() => parseTrafficManifest('vs.yaml', byVersion, 'v3')).toThrow(/has no route to the canary/);
  });

  test('Argo Rollouts: the setWeight step', () => {
    const m = parseTrafficManifest('rollout.yaml', ARGO);
    expect(m).toMatchObject({ kind: 'argo-rollouts', currentWeight: 25 });
    expect(m.withWeight(50)).toBe(ARGO.replace('setWeight: 25', 'setWeight: 50'));
  });

  // Argo Rollouts' canary docs (https://argoproj.github.io/argo-rollouts/features/canary): the controller runs the
  // steps in order; setWeight sets the canary's traffic percentage; a pause with a duration resumes by itself, a pause
  // without one (pause: {}) waits until the rollout is promoted. Steps below follow the docs' getting-started example.
  const ARGO_STEPS = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: fraud-detector
spec:
  strategy:
    canary:
      steps:
        - setWeight: 20 # warm-up
        - pause: {duration: 10m}
        - setWeight: 40 # held here until canary-promote decides
        - pause: {}
        - setWeight: 60
        - pause: {duration: 10}
`;

  test('Argo Rollouts: the step the rollout holds at is the last setWeight before the pause that waits for promotion', () => {
    const m = parseTrafficManifest('rollout.yaml', ARGO_STEPS);
    expect(m.currentWeight).toBe(40);
    // stepping up changes only the held step; the warm-up and the steps after the hold stay as written
    expect(m.withWeight(50)).toBe(ARGO_STEPS.replace('setWeight: 40', 'setWeight: 50'));
    // stepping down caps the earlier steps too, so the walk to the hold never exceeds the decided weight
    expect(m.withWeight(10)).toBe(ARGO_STEPS.replace('setWeight: 40', 'setWeight: 10').replace('setWeight: 20', 'setWeight: 10'));
    expect(m.withWeight(0)).toContain('- setWeight: 0 # warm-up\n        - pause: {duration: 10m}\n        - setWeight: 0 # held here');
  });

  test('Argo Rollouts: without an indefinite pause the first setWeight step is managed, as before', () => {
    const timed = ARGO_STEPS.replace('pause: {}', 'pause: {duration: 1h}');
    const m = parseTrafficManifest('rollout.yaml', timed);
    expect(m.currentWeight).toBe(20);
    expect(m.withWeight(30)).toBe(timed.replace('setWeight: 20', 'setWeight: 30'));
    // a bare `pause:` (null) waits like pause: {}
    expect(parseTrafficManifest('rollout.yaml', ARGO_STEPS.replace('pause: {}', 'pause:')).currentWeight).toBe(40);
  });

  test('a manifest of another kind, or a weight out of range, is refused', () => {
    expect(() => parseTrafficManifest('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n')).toThrow(
      /^svc\.yaml: has no KServe InferenceService, Istio VirtualService or Argo Rollouts Rollout/,
    );
    expect(() => parseTrafficManifest('r.yaml', ARGO.replace('25', '140'))).toThrow(
      /^r\.yaml:9: setWeight is 140\. Expected a whole percentage 0-100$/,
    );
  });

  test('a multi-document file: the right document is edited', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n---\n${ARGO}`;
    expect(parseTrafficManifest('all.yaml', text).withWeight(10)).toBe(text.replace('setWeight: 25', 'setWeight: 10'));
  });
});
