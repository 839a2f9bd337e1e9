import { expect } from "chai";
import { mountsUnder, parseMountPoints } from "../../../../../agent/kubelet/volumes/mountinfo.js";

const sample = [
  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
  "40 22 0:40 / /pods/u1/volumes/kubernetes.io~secret/s rw - tmpfs tmpfs rw,size=1024k",
  "41 22 0:41 / /pods/u1/volumes/kubernetes.io~empty-dir/with\\040space rw - tmpfs tmpfs rw",
  "42 40 0:42 / /pods/u1/volumes/kubernetes.io~secret/s/inner rw - tmpfs tmpfs rw",
  "43 40 0:43 / /pods/u1/volumes/kubernetes.io~secret/s rw - tmpfs tmpfs rw",
  "44 22 0:44 / /pods/u10/x rw - tmpfs tmpfs rw",
  "",
].join("\n");

describe("mountinfo", () => {
  it("reads mount points and unescapes them", () => {
    const points = parseMountPoints(sample);
    expect(points).to.have.length(6);
    expect(points).to.include("/pods/u1/volumes/kubernetes.io~empty-dir/with space");
  });

  it("orders a pod's mounts deepest and latest first, and ignores similar prefixes", () => {
    expect(mountsUnder(parseMountPoints(sample), "/pods/u1/")).to.deep.equal([
      "/pods/u1/volumes/kubernetes.io~secret/s/inner",
      "/pods/u1/volumes/kubernetes.io~secret/s",
      "/pods/u1/volumes/kubernetes.io~empty-dir/with space",
      "/pods/u1/volumes/kubernetes.io~secret/s",
    ]);
    expect(mountsUnder(parseMountPoints(sample), "/pods/u2")).to.deep.equal([]);
  });
});
