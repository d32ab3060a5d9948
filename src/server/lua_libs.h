/* lua_libs.h — the Lua 5.1 C libraries Redis 7.0 puts in every script's
 * environment besides Lua's own: `struct` (lua_struct.c, binary packing of
 * numbers and strings) and `cmsgpack` (lua_cmsgpack.c, MessagePack).
 * (cjson and bit come from Debian's lua5.1-cjson and lua5.1-bitop.)
 *
 * Each opener works like a luaopen_* function of Lua 5.1: it registers the
 * global table (`struct` / `cmsgpack`, also package.loaded[name]) with
 * luaL_register, leaves that table on the stack and returns 1. Call it with
 * lua_pushcfunction + lua_call, or directly on a state with the base library
 * open. Neither library keeps global C state: every lua_State may load them.
 */
#ifndef ROOST_LUA_LIBS_H
#define ROOST_LUA_LIBS_H

#include <lua.h>

int luaopenStruct(lua_State *L);
int luaopenCmsgpack(lua_State *L);

#endif
