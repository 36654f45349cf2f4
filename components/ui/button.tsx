import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";
import { cn } from "@/lib/utils";
import { useHydrated } from "./use-hydrated";

const buttonVariants = cva(
  "inline-flex shrink-0 items-center justify-center gap-1.5 rounded-md text-sm font-medium whitespace-nowrap transition-colors disabled:pointer-events-none disabled:opacity-50 [&_svg]:size-4 [&_svg]:shrink-0",
  {
    variants: {
      variant: {
        primary: "bg-primary text-primary-foreground hover:bg-primary/90",
        outline: "border border-input bg-background hover:bg-muted",
        ghost: "hover:bg-muted",
        destructive: "bg-destructive text-destructive-foreground hover:bg-destructive/90",
      },
      size: {
        sm: "h-7 px-2 text-xs",
        md: "h-9 px-3",
        icon: "size-8",
        "icon-sm": "size-7",
      },
    },
    defaultVariants: { variant: "outline", size: "md" },
  },
);

export type ButtonProps = React.ComponentProps<"button"> &
  VariantProps<typeof buttonVariants> & { asChild?: boolean };

/**
 * A server-rendered button is disabled until the page hydrates, so that a click it could not
 * act on yet is not silently lost (it does not look dimmed for that moment: nothing flickers).
 */
export function Button({
  className,
  variant,
  size,
  asChild = false,
  type = "button",
  disabled,
  ...props
}: ButtonProps) {
  const hydrated = useHydrated();
  const Comp = asChild ? Slot.Root : "button";
  return (
    <Comp
      type={asChild ? undefined : type}
      className={cn(
        buttonVariants({ variant, size }),
        !hydrated && !disabled && "disabled:opacity-100",
        className,
      )}
      disabled={asChild ? disabled : disabled || !hydrated}
      {...props}
    />
  );
}
