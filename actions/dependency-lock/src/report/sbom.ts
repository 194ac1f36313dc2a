// CycloneDX 1.6 JSON (built with @cyclonedx/cyclonedx-library): every locked package as a library with its purl
// (pkg:pypi/name@version, or pkg:conda/...) and hashes, and every scanned model file as a machine-learning-model
// component with its SHA-256.
// Subpath imports: the package's main entry loads its schema resources through __dirname, which an ESM bundle lacks.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { LockCheckResult } from '../lock-check.js';

const ALGORITHMS: Record<string, Enums.HashAlgorithm> = {
  sha256: Enums.HashAlgorithm['SHA-256'],
  sha384: Enums.HashAlgorithm['SHA-384'],
  sha512: Enums.HashAlgorithm['SHA-512'],
  md5: Enums.HashAlgorithm.MD5,
};

export function purlOf(ecosystem: 'PyPI' | 'conda', key: string, version: string): string {
  return `pkg:${ecosystem === 'PyPI' ? 'pypi' : 'conda'}/${encodeURIComponent(key)}@${encodeURIComponent(version)}`;
}

export function buildSbom(result: LockCheckResult, options: { serialNumber: string; timestamp: Date; toolVersion: string }): string {
  const bom = new Models.Bom();
  bom.serialNumber = options.serialNumber;
  bom.metadata.timestamp = options.timestamp;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'mlops-actions dependency-lock', { version: options.toolVersion }),
  );
  for (const p of result.packages) {
    const hashes = new Models.HashDictionary();
    // A lock records one hash per distribution file; CycloneDX holds one per algorithm, so the first is kept and
    // the rest listed as a property.
    for (const h of p.hashes) {
      const [alg, digest] = h.split(':');
      const algorithm = ALGORITHMS[alg];
      if (algorithm && !hashes.has(algorithm)) hashes.set(algorithm, digest);
    }
    const purl = purlOf(p.ecosystem, p.key, p.version);
    const component = new Models.Component(Enums.ComponentType.Library, p.name, { version: p.version, purl, bomRef: purl, hashes });
    if (p.licence) component.licenses.add(new Models.LicenseExpression(p.licence));
    component.properties.add(new Models.Property('mlops-actions:lock-file', `${p.location.file}:${p.location.line}`));
    if (p.hashes.length > 1) component.properties.add(new Models.Property('mlops-actions:distribution-hashes', p.hashes.join(' ')));
    bom.components.add(component);
  }
  for (const m of result.models) {
    const hashes = new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], m.sha256]]);
    const component = new Models.Component(Enums.ComponentType.MachineLearningModel, m.file, { bomRef: `model:${m.file}`, hashes });
    component.properties.add(new Models.Property('mlops-actions:model-format', m.format));
    component.properties.add(new Models.Property('mlops-actions:model-safe-to-load', String(!m.unsafe)));
    bom.components.add(component);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
