import { expect } from "chai";
import {
  formatLogTime,
  parseCriLogLine,
  parseRfc3339Nanos,
} from "../../../../agent/streaming/cri-log-line.js";

const parse = (text: string) => parseCriLogLine(Buffer.from(text));

describe("CRI log records", () => {
  it("parses time, stream, partial flag and content, keeping the content's spaces", () => {
    const record = parse("2024-05-01T10:00:00.123456789+00:00 stderr P  two  spaces ");
    expect(record?.time).to.equal("2024-05-01T10:00:00.123456789+00:00");
    expect(record?.stream).to.equal("stderr");
    expect(record?.partial).to.equal(true);
    expect(record?.content.toString()).to.equal(" two  spaces ");
    expect(record?.nanos).to.equal(1714557600123456789n);
  });

  it("reads an empty line with or without the space after its tag, and tags with attributes", () => {
    expect(parse("2024-05-01T10:00:00Z stdout F ")?.content.length).to.equal(0);
    expect(parse("2024-05-01T10:00:00Z stdout F")?.content.length).to.equal(0);
    expect(parse("2024-05-01T10:00:00Z stdout F:x=y hi")?.content.toString()).to.equal("hi");
  });

  it("rejects lines that are not CRI records", () => {
    for (const bad of [
      "",
      "hello world",
      "2024-05-01T10:00:00Z stdin F x",
      "2024-05-01T10:00:00Z stdout X x",
      "yesterday stdout F x",
      "2024-05-01T10:00:00 stdout F no-offset",
    ]) {
      expect(parse(bad), bad).to.equal(undefined);
    }
  });

  it("keeps nanoseconds exactly and honours the offset", () => {
    expect(parseRfc3339Nanos("1970-01-01T00:00:01.000000001Z")).to.equal(1_000_000_001n);
    expect(parseRfc3339Nanos("1970-01-01T02:00:01.5+02:00")).to.equal(1_500_000_000n);
    expect(parseRfc3339Nanos("not a time")).to.equal(undefined);
  });

  it("prints times as Go's RFC3339Nano does", () => {
    expect(formatLogTime("2024-05-01T10:00:00.123450000+00:00")).to.equal(
      "2024-05-01T10:00:00.12345Z",
    );
    expect(formatLogTime("2024-05-01T10:00:00.000000000+00:00")).to.equal("2024-05-01T10:00:00Z");
    expect(formatLogTime("2024-05-01T12:00:00.1+02:00")).to.equal("2024-05-01T12:00:00.1+02:00");
  });
});
