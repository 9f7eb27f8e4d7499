/**
 * The CommonJS door of `unawait/transformer` (built to dist/src/transformer.cjs, the `require`
 * condition of the package's exports). ts-patch loads transformers with `require()`; this file
 * hands it the ES module next to it, which needs require(esm): Node.js >= 20.19 or >= 22.12.
 * (Without this door ts-patch would take the ESM path, which asks for the obsolete `esm` package.)
 */
type Plugin = typeof import("./transformer.js");

function load(): Plugin {
  try {
    return require("./transformer.js") as Plugin;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_REQUIRE_ESM") {
      throw new Error(
        `unawait/transformer is an ES module and ts-patch loads transformers with require(); that needs Node.js >= 20.19 or >= 22.12 ` +
          `(or --experimental-require-module). This is Node.js ${process.version}.`,
      );
    }
    throw e;
  }
}

const plugin = load();
export = plugin;
