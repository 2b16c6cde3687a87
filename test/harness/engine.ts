/**
 * A fake Pulumi Engine gRPC service (the `<engine-address>` a policy pack is given). It implements
 * Log, GetRootResource and SetRootResource and records every log message.
 */
import * as grpc from "@grpc/grpc-js";

const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");

const engineproto = require("@pulumi/pulumi/proto/engine_pb");

const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

export type LogSeverityName = "debug" | "info" | "warning" | "error";
const SEVERITIES: LogSeverityName[] = ["debug", "info", "warning", "error"];

export interface EngineLog {
    severity: LogSeverityName;
    message: string;
    urn: string;
    streamId: number;
    ephemeral: boolean;
}

export interface FakeEngine {
    /** `127.0.0.1:<port>` */
    address: string;
    logs: EngineLog[];
    rootResource: string;
    close(): Promise<void>;
}

export async function startFakeEngine(): Promise<FakeEngine> {
    const server = new grpc.Server();
    const state: FakeEngine = {
        address: "",
        logs: [],
        rootResource: "",
        close: () =>
            new Promise<void>((resolve) => {
                server.tryShutdown(() => resolve());
                setTimeout(() => {
                    server.forceShutdown();
                    resolve();
                }, 1000).unref();
            }),
    };
    server.addService(enginerpc.EngineService, {
        log: (
            call: { request: { getSeverity(): number; getMessage(): string; getUrn(): string; getStreamid(): number; getEphemeral(): boolean } },
            cb: grpc.sendUnaryData<unknown>,
        ) => {
            const r = call.request;
            state.logs.push({
                severity: SEVERITIES[r.getSeverity()] ?? "info",
                message: r.getMessage(),
                urn: r.getUrn(),
                streamId: r.getStreamid(),
                ephemeral: r.getEphemeral(),
            });
            cb(null, new emptyproto.Empty());
        },
        getRootResource: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
            const resp = new engineproto.GetRootResourceResponse();
            resp.setUrn(state.rootResource);
            cb(null, resp);
        },
        setRootResource: (call: { request: { getUrn(): string } }, cb: grpc.sendUnaryData<unknown>) => {
            state.rootResource = call.request.getUrn();
            cb(null, new engineproto.SetRootResourceResponse());
        },
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    state.address = `127.0.0.1:${port}`;
    return state;
}
