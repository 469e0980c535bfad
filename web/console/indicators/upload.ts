// A raw-body upload with progress. fetch() cannot report upload progress, so this uses XMLHttpRequest;
// errors come back as the same ApiError the rest of the console handles.
import { ApiError } from '../../common/api.ts';
import { currentLocale } from '../../common/i18n.ts';

export interface UploadProgress {
  /** 0–1 of the bytes sent; 1 while the server works on the file. */
  sent: number;
  /** True once every byte is sent and the answer is awaited. */
  processing: boolean;
}

export function uploadFile<T>(
  path: string,
  file: Blob,
  opts: {
    contentType: string;
    method?: 'POST' | 'PUT';
    headers?: Record<string, string>;
    onProgress?: (p: UploadProgress) => void;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method ?? 'POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', currentLocale());
    xhr.setRequestHeader('content-type', opts.contentType);
    for (const [k, v] of Object.entries(opts.headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable)
        opts.onProgress?.({ sent: e.loaded / e.total, processing: e.loaded >= e.total });
    };
    xhr.upload.onload = () => opts.onProgress?.({ sent: 1, processing: true });
    xhr.onerror = () => reject(new ApiError(0, { code: 'network_error', message: '' }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      const b = (body ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
      reject(
        new ApiError(xhr.status, {
          code: String(b.code ?? (xhr.status >= 500 ? 'internal' : 'http_error')),
          message: String(b.message ?? `${xhr.status} ${xhr.statusText}`),
          details: b.details,
        }),
      );
    };
    xhr.send(file);
  });
}
