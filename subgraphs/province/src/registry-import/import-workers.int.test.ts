/**
 * The importer's call logic against a scripted gateway on a loopback port: rows refused by index,
 * refusals naming no row (split until found), passing failures retried, an unreachable gateway
 * aborting, rows outside the token's region set aside before sending.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { residentIdFrom } from '@p2p/schema';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportAborted, importWorkers } from './import-workers.js';

interface Input {
  name: string;
  homeRegion: string;
  phone: string;
}
type Answer = { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };

/** A gateway answering each registerWorkers call with `decide(inputs)`. */
async function scriptedGateway(
  decide: (inputs: Input[]) => Answer,
): Promise<{ url: string; calls: Input[][]; server: Server }> {
  const calls: Input[][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const { variables } = JSON.parse(body) as { variables: { inputs: Input[] } };
      calls.push(variables.inputs);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(decide(variables.inputs)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, calls, server };
}

const registered = (inputs: Input[]): Answer => ({
  data: { registerWorkers: inputs.map((_, i) => ({ id: `W45-${i}` })) },
});
const csv = (homes: string[]) => {
  const lines = ['name,idNumber,phone,homeRegion'];
  homes.forEach((home, i) => {
    lines.push(
      `工人${i},${residentIdFrom('450203', '19900101', i)},1390000${String(i).padStart(4, '0')},${home}`,
    );
  });
  return Readable.from([`${lines.join('\n')}\n`]);
};

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('importing through the gateway', () => {
  it('should drop a row the province names by index and send the rest again', async () => {
    const gateway = await scriptedGateway((inputs) => {
      const bad = inputs.findIndex((i) => i.phone.endsWith('0003'));
      return bad >= 0
        ? {
            errors: [
              {
                message: `inputs[${bad}].phone: a mainland mobile number has 11 digits`,
                extensions: { code: 'BAD_USER_INPUT', field: `inputs[${bad}].phone` },
              },
            ],
          }
        : registered(inputs);
    });
    server = gateway.server;
    const report = await importWorkers(csv(Array(6).fill('450203')), {
      gatewayUrl: gateway.url,
      headers: {},
    });
    expect(report).toMatchObject({
      rows: 6,
      registered: 5,
      calls: 2,
      rejected: [
        { line: 5, code: 'BAD_USER_INPUT', reason: 'phone: a mainland mobile number has 11 digits' },
      ],
    });
  });

  it('should split a call refused without a row index until the refused row stands alone', async () => {
    const gateway = await scriptedGateway((inputs) =>
      inputs.some((i) => i.name === '工人5')
        ? { errors: [{ message: 'not yours to register', extensions: { code: 'FORBIDDEN' } }] }
        : registered(inputs),
    );
    server = gateway.server;
    const report = await importWorkers(csv(Array(8).fill('450203')), {
      gatewayUrl: gateway.url,
      headers: {},
    });
    expect(report.registered).toBe(7);
    expect(report.rejected).toEqual([{ line: 7, code: 'FORBIDDEN', reason: 'not yours to register' }]);
    expect(gateway.calls.map((c) => c.length)).toEqual([8, 4, 4, 2, 1, 1, 2]); // depth first: the refused half is split before the next
  });

  it('should retry a passing failure, and give up on an unreachable gateway with ImportAborted', async () => {
    let failures = 2;
    const gateway = await scriptedGateway((inputs) =>
      failures-- > 0
        ? {
            errors: [
              { message: 'province 450000 did not answer', extensions: { code: 'PROVINCE_UNAVAILABLE' } },
            ],
          }
        : registered(inputs),
    );
    server = gateway.server;
    const report = await importWorkers(csv(['450203', '450203']), {
      gatewayUrl: gateway.url,
      headers: {},
      retryMs: 1,
    });
    expect(report).toMatchObject({ registered: 2, calls: 3, rejected: [] });
    const nowhere = importWorkers(csv(['450203']), {
      gatewayUrl: 'http://127.0.0.1:1/graphql',
      headers: {},
      retryMs: 1,
      attempts: 2,
    });
    await expect(nowhere).rejects.toBeInstanceOf(ImportAborted);
    await expect(nowhere).rejects.toThrow(/cannot be reached/);
  });

  it("should set aside rows outside a city officer's region without sending them", async () => {
    const gateway = await scriptedGateway(registered);
    server = gateway.server;
    const token = await new SignJWT({ role: 'city', region: '450200' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('city:450200')
      .sign(new TextEncoder().encode('any'));
    const report = await importWorkers(csv(['450203', '450302', '450203001']), {
      gatewayUrl: gateway.url,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(report.rejected).toEqual([
      { line: 3, code: 'FORBIDDEN', reason: "homeRegion: outside the caller's region 450200" },
    ]);
    expect(gateway.calls.flat().map((i) => i.homeRegion)).toEqual(['450203', '450203001']);
    const ministry = await new SignJWT({ role: 'ministry' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ministry')
      .sign(new TextEncoder().encode('any'));
    await expect(
      importWorkers(csv(['450203']), {
        gatewayUrl: gateway.url,
        headers: { authorization: `Bearer ${ministry}` },
      }),
    ).rejects.toThrow(/province or city officer; this token's role is ministry/);
    expect(gateway.calls).toHaveLength(1); // nothing more sent
  });
});
