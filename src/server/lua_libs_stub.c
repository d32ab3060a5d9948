#include "server/lua_libs.h"
#include <lauxlib.h>
static const luaL_Reg none[] = { { NULL, NULL } };
int luaopenStruct(lua_State *L) { luaL_register(L, "struct", none); return 1; }
int luaopenCmsgpack(lua_State *L) { luaL_register(L, "cmsgpack", none); return 1; }
