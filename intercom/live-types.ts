/**
 * What `audit --live` and `import` read from a live workspace, control by control. Each module that
 * applies a control through Intercom's API also exports a reader of this shape, so the control's
 * mapping between Intercom's representation and the control's inputs lives in one place.
 */
import { IntercomClient } from "./client";

/** One control instance as read from Intercom: the inputs a program would declare to match it. */
export interface LiveControl {
  /** The control's name (its ControlDefinition name, e.g. "IpAllowlist"). */
  readonly control: string;
  /** A logical name for the instance, stable across reads (for `import`). */
  readonly name: string;
  /** The control's inputs as read; values Intercom never returns are absent, never guessed. */
  readonly props: Readonly<Record<string, unknown>>;
  /**
   * Fields of the control the API does not expose. They are graded as unknown (not evaluated), never
   * filled with a default, so a control read only in part is never reported Secure for what was not read.
   */
  readonly unreadable?: readonly string[];
}

/** Reads every instance of one control from the workspace the client's token belongs to. */
export type LiveReader = (client: IntercomClient, workspaceId: string) => Promise<LiveControl[]>;
