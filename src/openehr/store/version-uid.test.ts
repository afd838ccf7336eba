import { describe, expect, it } from 'vitest';
import { formatVersionUid, parseObjectReference, parseVersionUid } from './version-uid.js';

const id = '8849182c-82ad-4088-a07f-48ead4180515';

describe('version ids', () => {
  it('formats and parses object_id::system::version', () => {
    const text = formatVersionUid({ objectId: id, systemId: 'ucp.local', version: 3 });
    expect(text).toBe(`${id}::ucp.local::3`);
    expect(parseVersionUid(text)).toEqual({ objectId: id, systemId: 'ucp.local', version: 3 });
  });

  it.each([`${id}`, `${id}::ucp.local`, `${id}::::1`, `${id}::x::0`, `${id}::x::1.2`, `not-a-uuid::x::1`, `${id}::x::1::2`])(
    'refuses %s as a version id',
    (text) => expect(parseVersionUid(text)).toBeUndefined(),
  );

  it('reads a bare object id or a version id as an object reference', () => {
    expect(parseObjectReference(id.toUpperCase())).toEqual({ objectId: id });
    expect(parseObjectReference(`${id}::sys::2`)).toEqual({ objectId: id, version: 2 });
    expect(parseObjectReference('nope')).toBeUndefined();
  });
});
