import { expect } from "chai";
import { agentError } from "../../../../controller/api/node-proxy/agent-error.js";

describe("an agent's refusal as the API's error", () => {
  it("keeps a Status's code, reason, message and details", () => {
    const err = agentError(
      404,
      JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        message: 'container "app" not found',
        reason: "NotFound",
        details: { name: "app", kind: "containers" },
        code: 404,
      }),
    );
    expect(err.toStatus()).to.deep.include({
      code: 404,
      reason: "NotFound",
      message: 'container "app" not found',
      details: { name: "app", kind: "containers" },
    });
  });

  it("takes any other body as the message, with the reason its code implies", () => {
    const err = agentError(400, 'container "app" in pod "web" is waiting to start\n');
    expect([err.code, err.reason, err.message]).to.deep.equal([
      400,
      "BadRequest",
      'container "app" in pod "web" is waiting to start',
    ]);
    expect(agentError(502, "").message).to.equal("the node's agent answered HTTP 502");
  });
});
