import { expect } from "chai";
import { parseConnectOptions } from "../../../../controller/api/node-proxy/connect-options.js";
import { ApiError } from "../../../../controller/api/status.js";

describe("pods/exec, attach and portforward options", () => {
  it("passes exec's streams as the kubelet takes them and every command word in order", () => {
    const request = parseConnectOptions(
      "exec",
      new URLSearchParams(
        "command=sh&command=-c&command=echo+a%26b&container=app&stdin=true&stdout=true&stderr=false&tty=1",
      ),
    );
    expect(request.container).to.equal("app");
    expect([...request.agentQuery]).to.deep.equal([
      ["stdin", "1"],
      ["stdout", "1"],
      ["tty", "1"],
      ["command", "sh"],
      ["command", "-c"],
      ["command", "echo a&b"],
    ]);
  });

  it("gives attach no command, and an unnamed container as empty", () => {
    const request = parseConnectOptions(
      "attach",
      new URLSearchParams("command=ignored&stdin=true&stdout=true"),
    );
    expect(request.container).to.equal("");
    expect(request.agentQuery.toString()).to.equal("stdin=1&stdout=1");
  });

  it("turns portforward's ports into the agent's port parameters, refusing non-ports", () => {
    const request = parseConnectOptions("portforward", new URLSearchParams("ports=80&ports=8080"));
    expect(request.container).to.equal(undefined);
    expect(request.agentQuery.toString()).to.equal("port=80&port=8080");
    for (const bad of ["http", "0", "65536"]) {
      try {
        parseConnectOptions("portforward", new URLSearchParams({ ports: bad }));
        expect.fail(`ports=${bad} was accepted`);
      } catch (err) {
        expect(err).to.be.instanceOf(ApiError);
        expect((err as ApiError).code).to.equal(400);
        expect((err as ApiError).message).to.match(/^ports: /);
      }
    }
  });
});
