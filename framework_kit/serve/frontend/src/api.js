// The studio's HTTP API, as the page uses it. Every call sends the editor's text as the body.

export class ApiError extends Error {
  constructor(status, message, diagnostics = null) {
    super(message);
    this.status = status;
    this.diagnostics = diagnostics;
  }
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  let diagnostics = null;
  try {
    const body = await response.json();
    if (Array.isArray(body)) diagnostics = body;
    else if (body.error) message = body.error;
    else if (body.superseded) message = "superseded";
  } catch (_) { /* not JSON: keep the status line */ }
  return new ApiError(response.status, message, diagnostics);
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) if (item !== undefined && item !== null && item !== "") search.append(key, item);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function call(method, path, params = {}, body = undefined, signal = undefined) {
  const response = await fetch(path + query(params), {
    method, body, signal,
    headers: body === undefined ? {} : { "content-type": "text/yaml; charset=utf-8" },
  });
  if (!response.ok) throw await failure(response);
  return response;
}

export const json = async (...args) => (await call(...args)).json();

// The file name the server gave in Content-Disposition (filename*, else filename).
export function fileName(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

export async function download(response, fallback) {
  const name = fileName(response, fallback);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
