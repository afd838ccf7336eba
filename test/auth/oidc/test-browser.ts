/**
 * A minimal browser for driving sign-in flows with `fetch`: a cookie jar (name → value; every
 * test talks to one host, so domain and path scoping are not needed beyond expiry) and
 * redirects followed by hand so each hop can be inspected.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async postForm(url: string, fields: Readonly<Record<string, string>>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects from `url` while `keepGoing(next)` allows; returns the last response and its URL. */
  async follow(url: string, keepGoing: (next: URL) => boolean = () => true, maxHops = 20): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.get(current);
    for (let hop = 0; hop < maxHops; hop++) {
      const next = redirectTarget(response, current);
      if (next === undefined || !keepGoing(next)) return { response, url: current };
      current = next.href;
      response = await this.get(current);
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  private async request(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    this.visited.push(url);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method: init.method,
      redirect: 'manual',
      headers: { accept: 'text/html,application/json', ...(cookie === '' ? {} : { cookie }), ...init.headers },
      body: init.body,
    });
    for (const header of response.headers.getSetCookie()) this.store(header);
    return response;
  }

  private store(header: string): void {
    const [pair = '', ...attributes] = header.split(';');
    const equals = pair.indexOf('=');
    if (equals < 1) return;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
      if (key.toLowerCase() === 'max-age') return Number(attributeValue) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(attributeValue) <= Date.now();
      return false;
    });
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Where a redirect response points, resolved against the URL it answered; undefined if it is not one. */
export function redirectTarget(response: Response, from: string): URL | undefined {
  if (response.status < 300 || response.status > 399) return undefined;
  const location = response.headers.get('location');
  return location === null ? undefined : new URL(location, from);
}

/** The action of the first form whose action ends with `suffix`, resolved against the page URL. */
export function formAction(html: string, suffix: string, pageUrl: string): string {
  for (const match of html.matchAll(/<form[^>]*action="([^"]+)"/g)) {
    const action = decodeEntities(match[1] ?? '');
    if (action.endsWith(suffix)) return new URL(action, pageUrl).href;
  }
  throw new Error(`no form ending in ${suffix} on the page:\n${html}`);
}

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}
