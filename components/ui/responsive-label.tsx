/** A button label that shows from `lg` up and stays readable to screen readers below it. */
export function ResponsiveLabel({ children }: { children: string }) {
  return (
    <>
      <span className="hidden lg:inline">{children}</span>
      <span className="sr-only lg:hidden">{children}</span>
    </>
  );
}
