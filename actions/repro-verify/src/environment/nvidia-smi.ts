// nvidia-smi's two outputs the manifest needs, parsed without a GPU in sight (tested on recorded outputs in
// test/fixtures/repro-verify/nvidia-smi/): the CSV of
// `nvidia-smi --query-gpu=index,name,driver_version,memory.total,uuid --format=csv,noheader,nounits`
// and the banner of plain `nvidia-smi`, the only place that prints the CUDA version the driver supports.
import type { GpuDevice, GpuInfo } from './manifest.js';

export const NVIDIA_SMI_QUERY = ['--query-gpu=index,name,driver_version,memory.total,uuid', '--format=csv,noheader,nounits'];

/** Splits one CSV line of nvidia-smi (", " separated; names may be quoted when they hold a comma). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

const NOT_AVAILABLE = /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i;

export function parseGpuQuery(csv: string): GpuDevice[] {
  const devices: GpuDevice[] = [];
  for (const raw of csv.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || /^index\b/i.test(line)) continue; // a header, if --format=csv without noheader was used
    const cells = splitCsv(line);
    if (cells.length < 4 || !/^\d+$/.test(cells[0])) continue; // "No devices were found" and other messages
    const memory = cells[3].replace(/\s*MiB$/i, '');
    devices.push({
      index: Number(cells[0]),
      name: cells[1],
      driver_version: cells[2],
      memory_total_mib: NOT_AVAILABLE.test(memory) || !/^\d+(\.\d+)?$/.test(memory) ? null : Number(memory),
      ...(cells[4] && !NOT_AVAILABLE.test(cells[4]) ? { uuid: cells[4] } : {}),
    });
  }
  return devices;
}

/** "| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4 |" -> driver and CUDA versions. */
export function parseSmiBanner(text: string): { driver_version: string | null; cuda_version: string | null } {
  const driver = /Driver Version:\s*([\d.]+)/.exec(text);
  const cuda = /CUDA Version:\s*([\d.]+|N\/A)/.exec(text);
  return { driver_version: driver?.[1] ?? null, cuda_version: cuda && cuda[1] !== 'N/A' ? cuda[1] : null };
}

/** Both outputs together; null when there is no usable GPU (no devices, or nvidia-smi failed). */
export function gpuInfo(queryOutput: string, bannerOutput: string): GpuInfo | null {
  const devices = parseGpuQuery(queryOutput);
  if (devices.length === 0) return null;
  const banner = parseSmiBanner(bannerOutput);
  return { devices, driver_version: banner.driver_version ?? devices[0].driver_version, cuda_version: banner.cuda_version };
}
