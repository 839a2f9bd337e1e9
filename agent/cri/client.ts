import * as grpc from "@grpc/grpc-js";
import { loadCri } from "./proto.js";

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;
// Responses are what proto-loader decodes; callers read the fields they know.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Response = any;

/** A CRI v1 client over a unix socket, each RPC as a promise: what crictl or the kubelet send. */
export interface CriClient {
  runtime(method: string, request?: object): Promise<Response>;
  image(method: string, request?: object): Promise<Response>;
  close(): void;
}

export function criClient(socket: string): CriClient {
  const cri = loadCri();
  const address = socket.startsWith("unix://") ? socket : `unix://${socket}`;
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
