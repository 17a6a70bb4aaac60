import { describe, expect, it } from 'vitest';
import { post, useNational } from './test-client.js';

const url = useNational();

const REGION = `query($code: RegionCode!) {
  region(code: $code) { code name level fullName parent { code name level } children { code name level } }
}`;

describe('region at every level', () => {
  it('province 450000 Guangxi: no parent, its 14 cities', async () => {
    const { data, errors } = await post(url(), REGION, { code: '450000' });
    expect(errors).toBeUndefined();
    expect(data.region).toMatchObject({
      code: '450000',
      name: '广西壮族自治区',
      level: 'PROVINCE',
      fullName: '广西壮族自治区',
      parent: null,
    });
    expect(data.region.children).toHaveLength(14);
    expect(data.region.children).toContainEqual({ code: '450200', name: '柳州市', level: 'CITY' });
  });

  it('city 450200 Liuzhou: under Guangxi, with its districts and counties', async () => {
    const { data } = await post(url(), REGION, { code: '450200' });
    expect(data.region).toMatchObject({ name: '柳州市', level: 'CITY', fullName: '广西壮族自治区 柳州市' });
    expect(data.region.parent).toEqual({ code: '450000', name: '广西壮族自治区', level: 'PROVINCE' });
    expect(data.region.children).toContainEqual({ code: '450203', name: '鱼峰区', level: 'COUNTY' });
    expect(data.region.children.every((c: { code: string }) => c.code.startsWith('4502'))).toBe(true);
  });

  it('county 450203: under Liuzhou, with its townships', async () => {
    const { data } = await post(url(), REGION, { code: '450203' });
    expect(data.region).toMatchObject({
      name: '鱼峰区',
      level: 'COUNTY',
      fullName: '广西壮族自治区 柳州市 鱼峰区',
    });
    expect(data.region.parent.code).toBe('450200');
    expect(data.region.children).toContainEqual({ code: '450203001', name: '天马街道', level: 'TOWNSHIP' });
  });

  it('township 450203001: nine digits, a leaf', async () => {
    const { data } = await post(url(), REGION, { code: '450203001' });
    expect(data.region).toMatchObject({
      code: '450203001',
      level: 'TOWNSHIP',
      children: [],
      fullName: '广西壮族自治区 柳州市 鱼峰区 天马街道',
      parent: { code: '450203', level: 'COUNTY' },
    });
  });

  it('walks from a township up to its province', async () => {
    const { data } = await post(
      url(),
      `{ region(code: "450203001") { parent { parent { parent { code parent { code } } } } } }`,
    );
    expect(data.region.parent.parent.parent).toEqual({ code: '450000', parent: null });
  });
});

describe('regions(parent)', () => {
  it('without parent lists the 31 provinces', async () => {
    const { data } = await post(url(), `{ regions { code level } }`);
    expect(data.regions).toHaveLength(31);
    expect(data.regions.every((r: { level: string }) => r.level === 'PROVINCE')).toBe(true);
    expect(data.regions.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['110000', '130000', '410000', '440000', '450000']),
    );
  });

  it('with a parent lists the same regions as its children', async () => {
    const { data } = await post(
      url(),
      `{ regions(parent: "450200") { code } region(code: "450200") { children { code } } }`,
    );
    expect(data.regions).toEqual(data.region.children);
    expect(data.regions.length).toBeGreaterThan(5);
  });

  it('of a township is empty', async () => {
    const { data } = await post(url(), `{ regions(parent: "450203001") { code } }`);
    expect(data.regions).toEqual([]);
  });
});

describe('directory quirks of GB/T 2260', () => {
  it('a province-level city leaves the 市辖区 placeholder out of full names', async () => {
    const { data } = await post(
      url(),
      `{ region(code: "110101") { name fullName parent { name parent { code } } } }`,
    );
    expect(data.region).toEqual({
      name: '东城区',
      fullName: '北京市 东城区',
      parent: { name: '市辖区', parent: { code: '110000' } },
    });
  });

  it('a city without counties (东莞 441900) is a CITY under Guangdong with townships as children', async () => {
    const { data } = await post(
      url(),
      `{ region(code: "441900") { level fullName parent { code } children { code level } } }`,
    );
    expect(data.region).toMatchObject({
      level: 'CITY',
      fullName: '广东省 东莞市',
      parent: { code: '440000' },
    });
    expect(data.region.children.length).toBeGreaterThan(10);
    expect(
      data.region.children.every(
        (c: { code: string; level: string }) => c.level === 'TOWNSHIP' && c.code !== '441900',
      ),
    ).toBe(true);
  });

  it('a township of such a city has that city as parent, then the province', async () => {
    const { data } = await post(
      url(),
      `{ region(code: "441900003") { fullName parent { code level parent { code parent { code } } } } }`,
    );
    expect(data.region).toEqual({
      fullName: '广东省 东莞市 东城街道',
      parent: { code: '441900', level: 'CITY', parent: { code: '440000', parent: null } },
    });
  });
});
