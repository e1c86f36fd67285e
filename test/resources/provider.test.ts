import { declaredStateProvider } from "../../core/provider";

/** The provider records declared state; identity changes replace, other changes update. */
describe("declaredStateProvider", () => {
  const provider = declaredStateProvider("MessengerSecurity", ["platform"]);
  const inputs = { workspaceId: "abc123xyz", platform: "web", identityVerification: "jwt", enforced: true, __provider: "serialized" };

  it("creates with a stable id from the control's identity, drops the serialized provider from outputs and says it is declared only", async () => {
    const created = await provider.create!(inputs);
    expect(created.id).toBe("MessengerSecurity/abc123xyz/web");
    expect(created.outs).toEqual({
      workspaceId: "abc123xyz",
      platform: "web",
      identityVerification: "jwt",
      enforced: true,
      appliedThrough: "declared",
    });
  });

  it("reports an in-place update when a setting changes", async () => {
    const diff = await provider.diff!("id", inputs, { ...inputs, enforced: false });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it.each([
    ["workspaceId", "zzz999yyy"],
    ["platform", "ios"],
  ])("replaces when %s changes", async (field, value) => {
    const diff = await provider.diff!("id", inputs, { ...inputs, [field]: value });
    expect(diff).toMatchObject({ changes: true, replaces: [field] });
  });

  it("reports no change when only the serialized provider differs", async () => {
    const diff = await provider.diff!("id", inputs, { ...inputs, __provider: "another serialization" });
    expect(diff.changes).toBe(false);
  });

  it("updates to the new settings", async () => {
    const updated = await provider.update!("id", inputs, { ...inputs, enforced: false });
    expect(updated.outs).toMatchObject({ enforced: false });
    expect(updated.outs).not.toHaveProperty("__provider");
  });
});
