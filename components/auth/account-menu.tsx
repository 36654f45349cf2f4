"use client";

import { BarChart3, LogOut, UserRound } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { Button } from "@/components/ui/button";

const itemClass =
  "flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-muted [&_svg]:size-4";

/** Usage, and with sign-in on, who is signed in and Sign out. */
export function AccountMenu({ user }: { user: string | undefined }) {
  const signOut = async () => {
    await fetch("/api/auth/sign-out", { method: "POST" });
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so the server renders with the new cookie
    window.location.assign("/sign-in");
  };
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="icon" aria-label={user ? `Account: ${user}` : "Account"}>
          <UserRound aria-hidden />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-48 rounded-md border bg-background p-1 shadow-lg"
        >
          {user ? (
            <DropdownMenu.Label className="truncate px-2 py-1.5 text-xs text-muted-foreground">
              Signed in as <span className="font-medium text-foreground">{user}</span>
            </DropdownMenu.Label>
          ) : null}
          <DropdownMenu.Item asChild className={itemClass}>
            <a href="/usage">
              <BarChart3 aria-hidden />
              Usage
            </a>
          </DropdownMenu.Item>
          {user ? (
            <DropdownMenu.Item className={itemClass} onSelect={() => void signOut()}>
              <LogOut aria-hidden />
              Sign out
            </DropdownMenu.Item>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
