export interface RemoteWriteSeries {
  /** `__name__` plus the other labels. */
  labels: Record<string, string>;
  samples: { value: number; timestampMs: number }[];
}

/**
 * Pushes samples to Prometheus's remote-write receiver (`/api/v1/write`) the way k6's
 * `experimental-prometheus-rw` output does: a protobuf WriteRequest, snappy-compressed.
 * Hand-encoded (a dozen lines each) so the tests need no protobuf or snappy package;
 * the snappy stream holds literals only, which every decoder accepts.
 */
export async function remoteWrite(writeUrl: string, series: readonly RemoteWriteSeries[]): Promise<void> {
  const body = snappyLiterals(writeRequest(series));
  const response = await fetch(writeUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body,
  });
  if (!response.ok) throw new Error(`remote write ${writeUrl} → ${response.status}: ${await response.text()}`);
}

// prometheus/prompb: WriteRequest{1: TimeSeries}, TimeSeries{1: Label, 2: Sample},
// Label{1: name, 2: value}, Sample{1: double value, 2: int64 timestamp}.
function writeRequest(series: readonly RemoteWriteSeries[]): Uint8Array {
  return concat(series.map((one) => field(1, timeSeries(one))));
}

function timeSeries({ labels, samples }: RemoteWriteSeries): Uint8Array {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return concat([
    ...sorted.map(([name, value]) => field(1, concat([field(1, utf8(name)), field(2, utf8(value))]))),
    ...samples.map((sample) => field(2, concat([double(1, sample.value), int64(2, sample.timestampMs)]))),
  ]);
}

function field(number: number, bytes: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function double(number: number, value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return concat([varint((number << 3) | 1), bytes]);
}

function int64(number: number, value: number): Uint8Array {
  return concat([varint(number << 3), varint(value)]);
}

/** Base-128 varint of a non-negative integer up to 2^53. */
function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

/** Snappy block format: the uncompressed length, then literal chunks of at most 64 KiB. */
function snappyLiterals(data: Uint8Array): Uint8Array {
  const parts = [varint(data.length)];
  for (let offset = 0; offset < data.length; offset += 0x10000) {
    const chunk = data.subarray(offset, Math.min(offset + 0x10000, data.length));
    const n = chunk.length - 1;
    parts.push(n < 60 ? Uint8Array.of(n << 2) : Uint8Array.of(61 << 2, n & 0xff, n >> 8), chunk);
  }
  return concat(parts);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
