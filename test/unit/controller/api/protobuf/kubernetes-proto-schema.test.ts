import { expect } from "chai";
import {
  messageName,
  messageSpecs,
} from "../../../../../controller/api/protobuf/kubernetes-proto-schema.js";

describe("Kubernetes protobuf schema table", () => {
  it("names only messages it defines", () => {
    const missing = [...messageSpecs.values()].flatMap((spec) =>
      spec.fields
        .map((field) => messageName(field.type))
        .filter((name): name is string => name !== undefined && !messageSpecs.has(name))
        .map((name) => `${spec.name} → ${name}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it("uses each field number and JSON name once per message", () => {
    for (const spec of messageSpecs.values()) {
      const numbers = spec.fields.map((field) => field.number);
      const names = spec.fields.map((field) => field.json);
      expect(new Set(numbers).size, `${spec.name} numbers`).to.equal(numbers.length);
      expect(new Set(names).size, `${spec.name} names`).to.equal(names.length);
    }
  });

  it("inlines and flags only fields where that means something", () => {
    for (const spec of messageSpecs.values()) {
      for (const field of spec.fields) {
        const where = `${spec.name}.${field.json}`;
        if (field.presence === "inline" || field.presence === "nullable") {
          expect(messageName(field.type), where).to.be.a("string");
          expect(field.repeated, where).to.equal(false);
        }
        if (field.type.startsWith("map<")) expect(field.repeated, where).to.equal(false);
      }
    }
  });
});
