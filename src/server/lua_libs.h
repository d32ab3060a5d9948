/* lua_libs.h — placeholder until the struct and cmsgpack libraries land */
#ifndef ROOST_LUA_LIBS_H
#define ROOST_LUA_LIBS_H
#include <lua.h>
int luaopenStruct(lua_State *L);
int luaopenCmsgpack(lua_State *L);
#endif
