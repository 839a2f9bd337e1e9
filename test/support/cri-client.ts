import * as grpc from "@grpc/grpc-js";
import { loadCri } from "../../agent/cri/proto.js";

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/** A CRI v1 client built from proto/, with each RPC as a promise: what any CRI client sends. */
export interface CriClient {
  runtime: (method: string, request?: object) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  image: (method: string, request?: object) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): void;
}

export function criClient(socket: string): CriClient {
  const cri = loadCri();
  const address = `unix://${socket}`;
  const runtime = new cri.RuntimeService(address, grpc.credentials.createInsecure());
  const image = new cri.ImageService(address, grpc.credentials.createInsecure());
  const call =
    (client: grpc.Client) =>
    (method: string, request: object = {}) =>
      new Promise((resolve, reject) => {
        const fn = (client as unknown as Record<string, Unary>)[method];
        if (typeof fn !== "function") throw new Error(`no RPC ${method}`);
        fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
      });
  return {
    runtime: call(runtime),
    image: call(image),
    close() {
      runtime.close();
      image.close();
    },
  };
}
