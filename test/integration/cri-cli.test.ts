import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { run, type RunResult } from "../../lib/exec.js";
import { berthBin } from "../support/agent-process.js";
import { criHarness } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const anyExit = Array.from({ length: 256 }, (_, i) => i);
const stackTrace = /\n\s+at /;

describe("berth cri: crictl-like commands against a real agent", function () {
  const h = criHarness("cri-cli");
  let files: string;

  before(async () => {
    files = path.join(h.base.path, "cli-files");
    await fs.mkdir(files, { recursive: true });
  });

  /** Runs the checkout's bin/berth; resolves with its exit code and output, whatever the code. */
  function berth(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
    return run(berthBin, args, { okCodes: anyExit, timeoutMs: 20_000, env });
  }

  /** `berth cri --cri-socket <agent> …`, failing the test unless it exits 0. */
  async function cri(...args: string[]): Promise<string> {
    const res = await berth(["cri", "--cri-socket", h.agent.socket, ...args]);
    expect(res.code, `berth cri ${args.join(" ")}: ${res.stderr}`).to.equal(0);
    return res.stdout;
  }

  const lines = (out: string) => out.split("\n").filter((l) => l !== "");

  async function writeFile(name: string, text: string): Promise<string> {
    const file = path.join(files, name);
    await fs.writeFile(file, text);
    return file;
  }

  function podYaml(name: string): Promise<string> {
    return writeFile(
      `${name}.yaml`,
      [
        "metadata:",
        `  name: ${name}`,
        "  namespace: cli-test",
        `  uid: uid-${name}`,
        "  attempt: 0",
        `log_directory: ${path.join(h.base.path, "logs", name)}`,
        "labels:",
        "  app: cli",
        "linux: {}",
        "",
      ].join("\n"),
    );
  }

  it("runs a pod and containers from crictl config files, lists, inspects, logs, execs, stops and removes them", async () => {
    const podFile = await podYaml("web");
    // A partial chunk (printf without newline) then its rest: the log keeps them as P then F.
    const script =
      "echo one; echo two >&2; printf part; sleep 0.2; echo ial; echo three; " +
      "trap 'exit 0' TERM; while :; do sleep 0.1; done";
    const talkerFile = await writeFile(
      "talker.json",
      JSON.stringify({
        metadata: { name: "talker", attempt: 0 },
        image: { image: "busybox:latest" },
        command: ["/bin/sh", "-c"],
        args: [script],
        envs: [{ key: "GREETING", value: "hello from env" }],
        log_path: "talker.log",
        labels: { role: "talker" },
        linux: {},
      }),
    );
    const idleFile = await writeFile(
      "idle.yaml",
      "metadata: {name: idle}\nimage: {image: busybox:latest}\ncommand: [sleep, '300']\nlabels: {role: idle}\n",
    );

    const pod = (await cri("runp", podFile)).trim();
    expect(pod).to.match(/^[0-9a-f]{64}$/);
    const podStatus = (await h.cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod })).status;
    expect(podStatus.state).to.equal("SANDBOX_READY");
    expect(podStatus.metadata.name).to.equal("web");

    const talker = (await cri("create", pod, talkerFile, podFile)).trim();
    expect(talker).to.match(/^[0-9a-f]{64}$/);
    expect((await h.status(talker)).state).to.equal("CONTAINER_CREATED");
    expect(await cri("start", talker)).to.equal(`${talker}\n`);
    expect((await h.status(talker)).state).to.equal("CONTAINER_RUNNING");
    const idle = (await cri("create", pod, idleFile, podFile)).trim();
    expect((await h.status(idle)).metadata.name).to.equal("idle");

    const [ps, psAll, created, byLabel, noMatch, inPod, pods, ready, notReady, fromEnv] =
      await Promise.all([
        cri("ps"),
        cri("ps", "-a", "-q"),
        cri("ps", "--state", "created", "-q"),
        cri("ps", "-a", "--label", "role=idle", "-q"),
        cri("ps", "-a", "--label", "role=nobody", "-q"),
        cri("ps", "-q", "--pod", pod.slice(0, 13)),
        cri("pods"),
        cri("pods", "--state", "ready", "--label", "app=cli", "-q"),
        cri("pods", "--state", "notready", "-q"),
        berth(["cri", "pods", "-q"], { ...process.env, BERTH_CRI_SOCKET: h.agent.socket }),
      ]);
    expect(lines(ps)[0]).to.match(
      /^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID$/,
    );
    expect(lines(ps)).to.have.length(2);
    expect(lines(ps)[1].split(/\s+/)).to.deep.equal([
      talker.slice(0, 13),
      "busybox:latest",
      ...lines(ps)[1].split(/\s+/).slice(2, 4), // age, e.g. "1s ago"
      "RUNNING",
      "talker",
      "0",
      pod.slice(0, 13),
    ]);
    expect(lines(psAll)).to.deep.equal([talker, idle]);
    expect(lines(created)).to.deep.equal([idle]);
    expect(lines(byLabel)).to.deep.equal([idle]);
    expect(lines(noMatch)).to.deep.equal([]);
    expect(lines(inPod)).to.deep.equal([talker]);
    expect(lines(pods)[0]).to.match(/^POD ID\s+CREATED\s+STATE\s+NAME\s+NAMESPACE\s+ATTEMPT$/);
    expect(lines(pods)[1]).to.match(
      new RegExp(`^${pod.slice(0, 13)}\\s.*\\sREADY\\s+web\\s+cli-test\\s+0$`),
    );
    expect(lines(ready)).to.deep.equal([pod]);
    expect(lines(notReady)).to.deep.equal([]);
    expect(fromEnv.code, fromEnv.stderr).to.equal(0);
    expect(lines(fromEnv.stdout)).to.deep.equal([pod]);

    const inspect = JSON.parse(await cri("inspect", talker.slice(0, 13)));
    expect(inspect.status.id).to.equal(talker);
    expect(inspect.status.state).to.equal("CONTAINER_RUNNING");
    expect(inspect.status.labels).to.deep.equal({ role: "talker" });
    expect(inspect.info.info.pid).to.equal(await h.pidOf(talker));
    const inspectp = JSON.parse(await cri("inspectp", pod));
    expect(inspectp.status.id).to.equal(pod);
    expect(inspectp.status.state).to.equal("SANDBOX_READY");
    expect(inspectp.status.metadata.namespace).to.equal("cli-test");

    const logFile = path.join(h.base.path, "logs", "web", "talker.log");
    await waitFor("the talker's last line", async () =>
      (await fs.readFile(logFile, "utf8").catch(() => "")).includes(" three") ? true : undefined,
    );
    const logText = await fs.readFile(logFile, "utf8");
    expect(logText).to.match(/ stdout P part\n/);
    const [all, last, lastTwo, none] = await Promise.all(
      [[], ["--tail", "1"], ["--tail", "2"], ["--tail", "0"]].map((tail) =>
        berth(["cri", "--cri-socket", h.agent.socket, "logs", ...tail, talker]),
      ),
    );
    expect([all.code, all.stdout, all.stderr]).to.deep.equal([0, "one\npartial\nthree\n", "two\n"]);
    expect([last.stdout, last.stderr]).to.deep.equal(["three\n", ""]);
    expect([lastTwo.stdout, lastTwo.stderr]).to.deep.equal(["partial\nthree\n", ""]);
    expect([none.code, none.stdout, none.stderr]).to.deep.equal([0, "", ""]);

    expect(await cri("exec", talker, "echo", "hi")).to.equal("hi\n");
    // The command's own flags (-c) pass through; its exit code and stderr come back.
    const failing = await berth([
      "cri",
      "--cri-socket",
      h.agent.socket,
      "exec",
      talker,
      "sh",
      "-c",
      'echo "$GREETING"; echo oops >&2; exit 3',
    ]);
    expect([failing.code, failing.stdout, failing.stderr]).to.deep.equal([
      3,
      "hello from env\n",
      "oops\n",
    ]);

    for (let i = 0; i < 2; i++)
      expect(await cri("stop", "-t", "2", talker)).to.equal(`${talker}\n`);
    const stopped = await h.status(talker);
    expect([stopped.state, stopped.exit_code]).to.deep.equal(["CONTAINER_EXITED", 0]);
    expect(lines(await cri("ps", "--state", "exited", "-q"))).to.deep.equal([talker]);
    for (let i = 0; i < 2; i++) await cri("rm", talker);
    expect(lines(await cri("ps", "-a", "-q"))).to.deep.equal([idle]);

    for (let i = 0; i < 2; i++) expect(await cri("stopp", pod)).to.equal(`${pod}\n`);
    expect(lines(await cri("pods", "--state", "notready", "-q"))).to.deep.equal([pod]);
    for (let i = 0; i < 2; i++) await cri("rmp", pod);
    expect(await cri("pods", "-q")).to.equal("");
    expect(await cri("ps", "-a", "-q")).to.equal("");
  });

  it("reports bad input on stderr with a non-zero exit and no stack trace", async () => {
    const podFile = await podYaml("bad");
    const malformed = await writeFile("malformed.yaml", "metadata: [\n  name: {");
    const list = await writeFile("list.yaml", "- metadata: {name: x}\n");
    const badEnvs = await writeFile("bad-envs.json", '{"metadata":{"name":"x"},"envs":"A=b"}');
    const socket = ["--cri-socket", h.agent.socket];
    const cases: [string[], RegExp][] = [
      [
        ["cri", ...socket, "runp", path.join(files, "missing.yaml")],
        /cannot read .*missing\.yaml: no such file/,
      ],
      [["cri", ...socket, "runp", malformed], /malformed\.yaml: not valid JSON or YAML/],
      [["cri", ...socket, "runp", list], /list\.yaml: expected an object/],
      [
        ["cri", ...socket, "create", "f00d", badEnvs, podFile],
        /bad-envs\.json: envs must be a list/,
      ],
      [["cri", ...socket, "create", "f00d", podFile, podFile], /pod sandbox "f00d" not found/],
      [["cri", ...socket, "inspect", "f00d"], /container "f00d" not found/],
      [["cri", ...socket, "inspectp", "f00d"], /pod sandbox "f00d" not found/],
      [["cri", ...socket, "logs", "f00d"], /container "f00d" not found/],
      [["cri", ...socket, "start", "f00d"], /container "f00d" not found/],
      [["cri", ...socket, "exec", "f00d", "true"], /container "f00d" not found/],
      [["cri", ...socket, "logs", "--tail", "-3", "f00d"], /--tail "-3": expected a whole number/],
      [
        ["cri", ...socket, "stop", "-t", "soon", "f00d"],
        /--timeout "soon": expected a whole number/,
      ],
      [["cri", ...socket, "ps", "--state", "sleeping"], /--state "sleeping": expected one of/],
      [["cri", ...socket, "pods", "--label", "app"], /--label "app": expected key=value/],
      [["cri", ...socket, "ps", "-o", "xml"], /--output "xml": expected table or json/],
      [
        ["cri", "--cri-socket", path.join(h.base.path, "no.sock"), "ps"],
        /cannot reach the CRI socket .*no\.sock/,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => berth(args)));
    results.forEach((res, i) => {
      const what = cases[i][0].slice(3).join(" ");
      expect(res.code, `${what}: exit code`).to.equal(1);
      expect(res.stdout, `${what}: stdout`).to.equal("");
      expect(res.stderr, `${what}: one line`).to.match(/^berth: [^\n]+\n$/);
      expect(res.stderr, `${what}: gRPC status prefix`).to.not.match(/\d+ [A-Z_]+: /);
      expect(res.stderr, `${what}: stderr`).to.match(cases[i][1]);
      expect(res.stderr, `${what}: stack trace`).to.not.match(stackTrace);
    });
    expect((await h.cri.runtime("ListPodSandbox", {})).items).to.deep.equal([]);
  });
});
