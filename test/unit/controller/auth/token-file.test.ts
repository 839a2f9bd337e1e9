import { expect } from "chai";
import { utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import winston from "winston";
import { PassThrough } from "node:stream";
import { parseTokenFile, watchTokenFile } from "../../../../controller/auth/token-file.js";
import { tempDir } from "../../../support/temp-dir.js";

describe("controller/auth token file", () => {
  it("reads token, user, uid and a quoted group list", () => {
    const tokens = parseTokenFile(
      'tok-a,alice,u-1,"system:masters,devs"\ntok-b,bob,u-2\n',
      "tokens.csv",
    );
    expect(tokens.get("tok-a")).to.deep.equal({
      name: "alice",
      uid: "u-1",
      groups: ["system:masters", "devs"],
    });
    expect(tokens.get("tok-b")).to.deep.equal({ name: "bob", uid: "u-2", groups: [] });
  });

  it("takes a single unquoted group, an empty uid, CRLF line ends and blank lines", () => {
    const tokens = parseTokenFile("\r\ntok,carol,,ops\r\n\r\n", "tokens.csv");
    expect(tokens.get("tok")).to.deep.equal({ name: "carol", groups: ["ops"] });
  });

  it('unescapes "" inside quotes and keeps commas in quoted user names', () => {
    const tokens = parseTokenFile('"t,1","dave ""the"" admin",u,"a, b"\n', "tokens.csv");
    expect(tokens.get("t,1")).to.deep.equal({
      name: 'dave "the" admin',
      uid: "u",
      groups: ["a", "b"],
    });
  });

  it("names the line of a record with too few columns", () => {
    expect(() => parseTokenFile("a,b,c\n\nsecret-token,bob\n", "tokens.csv")).to.throw(
      /tokens\.csv: line 3: want at least 3 columns \(token, user name, user uid\), found 2/,
    );
  });

  it("rejects a bare quote and an unclosed quote, naming the line but not the content", () => {
    let message = "";
    try {
      parseTokenFile('ok,u,1\nse"cret,u,1\n', "tokens.csv");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.match(/line 2: a bare " in an unquoted field/);
    expect(message).not.to.include("cret");
    expect(() => parseTokenFile('"abc,u,1\n', "tokens.csv")).to.throw(/line 1: .*not closed/);
    expect(() => parseTokenFile('"abc"x,u,1\n', "tokens.csv")).to.throw(/line 1: extraneous/);
  });

  it("rejects an empty token, an empty user and a duplicate token", () => {
    expect(() => parseTokenFile(",u,1\n", "f")).to.throw(/line 1: the token is empty/);
    expect(() => parseTokenFile("t,,1\n", "f")).to.throw(/line 1: the user name is empty/);
    expect(() => parseTokenFile("t,a,1\nt,b,2\n", "f")).to.throw(/line 2: .*already used/);
  });

  describe("reloading", () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => (dir = tempDir("token-file")));
    afterEach(() => dir.remove());

    function logCapture() {
      const stream = new PassThrough();
      let text = "";
      stream.on("data", (b: Buffer) => (text += b.toString()));
      const logger = winston.createLogger({
        level: "debug",
        format: winston.format.json(),
        transports: [new winston.transports.Stream({ stream })],
      });
      return { logger, text: () => text };
    }

    it("reloads when the file changes and keeps the last good tokens after a bad edit", () => {
      const file = path.join(dir.path, "tokens.csv");
      writeFileSync(file, "first-token,alice,1\n");
      let clock = 0;
      const log = logCapture();
      const source = watchTokenFile(file, log.logger, () => clock);
      expect(source.lookup("first-token")?.name).to.equal("alice");

      writeFileSync(file, "second-token,bob,2\n");
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(source.lookup("second-token"), "not rechecked within a second").to.equal(undefined);
      clock += 1000;
      expect(source.lookup("second-token")?.name).to.equal("bob");
      expect(source.lookup("first-token")).to.equal(undefined);

      writeFileSync(file, "third-token,carol\n");
      utimesSync(file, new Date(), new Date(Date.now() + 10000));
      clock += 1000;
      expect(source.lookup("second-token")?.name).to.equal("bob");
      expect(log.text()).to.match(/does not load; keeping the tokens read before/);
      expect(log.text()).not.to.match(/(first|second|third)-token/);
    });

    it("fails at start on a missing file", () => {
      expect(() => watchTokenFile(path.join(dir.path, "none.csv"), log().logger)).to.throw(
        /token file .*none\.csv/,
      );
      function log() {
        return { logger: winston.createLogger({ silent: true }) };
      }
    });
  });
});
